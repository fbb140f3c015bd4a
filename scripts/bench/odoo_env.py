"""Opens an Odoo environment on a database, for the benchmark scripts (run with the project's venv)."""

import contextlib

import odoo
from odoo import api
from odoo.modules.registry import Registry
from odoo.tools import config


@contextlib.contextmanager
def odoo_env(conf, dbname):
    """Superuser environment on ``dbname``; the caller commits what it wants to keep."""
    config.parse_config(["-c", conf])
    registry = Registry(dbname)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        lang = env["res.users"].browse(odoo.SUPERUSER_ID).context_get().get("lang")
        yield env(context={"lang": lang, "tz": "Europe/Paris"})
