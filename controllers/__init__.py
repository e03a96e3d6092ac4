from . import portal
from . import provider
