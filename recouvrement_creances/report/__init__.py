from . import recouvrement_debtor
