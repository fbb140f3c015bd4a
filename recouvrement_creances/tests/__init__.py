from . import test_access_and_server_actions
from . import test_demo_data
from . import test_dunning_engine
from . import test_menu_tour
from . import test_cases
from . import test_aged_balance
from . import test_insolvency
from . import test_payment_delay_table
