from . import recouvrement_debtor
from . import recouvrement_aged_balance
