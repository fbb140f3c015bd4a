from odoo import api, models


class AccountMove(models.Model):
    _inherit = "account.move"

    @api.model
    def _collection_exclusion_domains(self, date):
        """An active payment plan replaces the reminders of its invoices."""
        reason = self.env._("In an active payment plan")
        return super()._collection_exclusion_domains(date) | {
            reason: [
                ("collection_payment_plan_ids", "any", [("state", "=", "active")]),
            ]
        }
