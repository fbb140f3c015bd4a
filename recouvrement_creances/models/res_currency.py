from odoo import models

from ..tools import euros_in_words


class ResCurrency(models.Model):
    _inherit = "res.currency"

    def _collection_amount_in_words(self, amount):
        """The amount in words in the current language, for letters and agreements: French euros the way a
        formal notice writes them ("mille deux cent trente-quatre euros et cinquante centimes")."""
        self.ensure_one()
        if self.name == "EUR" and (self.env.lang or "").startswith("fr"):
            return euros_in_words(amount)
        return self.amount_to_text(amount)
