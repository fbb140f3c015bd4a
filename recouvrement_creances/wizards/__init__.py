from . import recouvrement_block_wizard
from . import recouvrement_call_wizard
from . import recouvrement_exclude_wizard
from . import recouvrement_penalty_wizard
from . import recouvrement_penalty_wizard_line
from . import recouvrement_payment_plan_wizard
from . import recouvrement_insurer_indemnity_wizard
from . import recouvrement_case_accounting_wizard
