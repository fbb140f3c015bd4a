from odoo import api, models


class AccountMove(models.Model):
    _inherit = "account.move"

    @api.model
    def _collection_exclusion_domains(self, date):
        """An open contentious case replaces the reminders of its invoices."""
        reason = self.env._("In a contentious case")
        return super()._collection_exclusion_domains(date) | {reason: [("collection_case_id", "!=", False)]}
