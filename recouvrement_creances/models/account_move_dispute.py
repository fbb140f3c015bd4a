from odoo import api, models


class AccountMove(models.Model):
    _inherit = "account.move"

    @api.model
    def _collection_exclusion_domains(self, date):
        """A disputed invoice is not chased while its dispute lasts (its end date included)."""
        reason = self.env._("In dispute")
        return super()._collection_exclusion_domains(date) | {
            reason: [
                ("collection_dispute", "=", True),
                "|",
                ("collection_dispute_until", "=", False),
                ("collection_dispute_until", ">=", date),
            ]
        }
