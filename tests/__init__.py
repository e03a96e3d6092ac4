from . import test_install
from . import test_relation
from . import test_referral
from . import test_organisation
from . import test_portal_invitation
from . import test_portal
from . import test_reminders
from . import test_tours
