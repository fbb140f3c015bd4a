"""19.0.1.8.0: a payment plan's name carries its date as the company's language writes it (07/12/2026 in French),
no longer in ISO form: the names of the existing plans are computed again."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    plans = env["recouvrement.payment.plan"].with_context(active_test=False).search([])
    plans._compute_name()
