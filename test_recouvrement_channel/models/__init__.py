from . import recouvrement_action
from . import recouvrement_level
