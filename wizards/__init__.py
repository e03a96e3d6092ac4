from . import care_referral_move
from . import care_referral_start
from . import base_partner_merge_automatic_wizard
from . import care_data_request
from . import care_form_send
from . import care_portal_invitation
from . import care_relation_contact_wizard
from . import care_relation_import
