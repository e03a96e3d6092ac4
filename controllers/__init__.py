from . import portal
from . import provider
from . import fhir
from . import portal_consent
