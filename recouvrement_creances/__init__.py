import warnings

from . import controllers
from . import models
from . import report
from . import wizards
from . import demo
from .tools.log_filter import install_token_mask

# Odoo 19 builds every notification link with werkzeug.urls.url_encode, deprecated in the Werkzeug
# it pins (2.3): the warning is logged with a formatted stack for each email of a batch, which costs
# more than rendering the email. It says nothing actionable here.
warnings.filterwarnings("ignore", r"'werkzeug\.urls\.url_encode' is deprecated", DeprecationWarning)

install_token_mask()


def _post_init_hook(env):
    env["res.company"].search([])._collection_install_default_policies()
