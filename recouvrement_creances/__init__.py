from . import models
from . import report
from . import wizards
from . import demo


def _post_init_hook(env):
    env["res.company"].search([])._recouvrement_install_default_policies()
