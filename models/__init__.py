from . import care_partner_role
from . import care_relation_type
from . import care_relation
from . import res_partner
from . import res_config_settings
