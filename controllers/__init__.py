from . import portal
from . import provider
from . import fhir
