"""19.0.1.5.0: the evidence chain starts with what the database already holds: every action executed, call logged,
registered letter and signed agreement is sealed, oldest first, as it stands at the update."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    Evidence = env["recouvrement.evidence"]
    if Evidence.search_count([], limit=1):
        return
    actions = env["recouvrement.action"].search([("state", "in", ("pending", "done", "failed"))], order="id")
    Evidence._seal(actions, "action")
    Evidence._seal(actions.filtered(lambda action: action.channel == "phone" and action.call_outcome), "call")
    Evidence._seal(actions.filtered(lambda action: action.channel == "registered_letter"), "acknowledgement")
    plans = env["recouvrement.payment.plan"].search([("signed_date", "!=", False)], order="id")
    Evidence._seal(plans, "agreement")
