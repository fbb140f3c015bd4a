"""19.0.1.8.0:
- a payment plan's name carries its date as the company's language writes it (07/12/2026 in French), no longer in
  ISO form: the names of the existing plans are computed again;
- labels were renamed so that one figure reads the same on every screen (*Pénalités de retard à ce jour*,
  *Indemnité forfaitaire de recouvrement*): Odoo keeps a database's translations on update, so the addon's are
  loaded again over them, for the languages installed."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    plans = env["recouvrement.payment.plan"].with_context(active_test=False).search([])
    plans._compute_name()
    langs = [code for code, _name in env["res.lang"].get_installed() if code != "en_US"]
    env["ir.module.module"]._load_module_terms(["recouvrement_creances"], langs, overwrite=True)
