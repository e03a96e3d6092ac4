from . import portal
from . import provider
from . import fhir
from . import portal_consent
from . import portal_forms
from . import portal_packages
from . import portal_preview
from . import referral_links
