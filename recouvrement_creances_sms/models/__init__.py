from . import recouvrement_level
from . import recouvrement_action
