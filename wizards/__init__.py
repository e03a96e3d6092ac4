from . import care_referral_move
from . import care_referral_start
