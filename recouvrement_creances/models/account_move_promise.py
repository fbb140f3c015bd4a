from odoo import api, models


class AccountMove(models.Model):
    _inherit = "account.move"

    @api.model
    def _collection_exclusion_domains(self, date):
        """The invoices of a promise to pay still open on ``date`` wait for it."""
        promises = (
            self.env["recouvrement.promise"]
            .sudo()
            .search([("company_id", "in", self.env.companies.ids), ("date", ">=", date), ("is_cancelled", "=", False)])
        )
        promised = promises.filtered(lambda promise: promise.state == "open").move_ids
        reason = self.env._("Under a promise to pay")
        return super()._collection_exclusion_domains(date) | {reason: [("id", "in", promised.ids)]}
