from . import recouvrement_follow_up_wizard
