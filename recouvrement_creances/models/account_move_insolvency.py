from odoo import api, fields, models
from odoo.tools import SQL


class AccountMove(models.Model):
    """The debts of a customer in collective proceedings born before the opening judgment: no reminder (Code de
    commerce L622-21) and no penalty or interest counted after the judgment (L622-28). They are declared in the
    proceedings instead. The invoices dated from the judgment on are collected as usual."""

    _inherit = "account.move"

    @api.model
    def _collection_exclusion_domains(self, date):
        reason = self.env._("In collective proceedings")
        return super()._collection_exclusion_domains(date) | {
            reason: [("id", "in", self._collection_insolvency_moves_sql(date))]
        }

    @api.model
    def _collection_insolvency_moves_sql(self, date):
        """SQL: the ids of the invoices dated before the opening judgment of their customer's collective
        proceedings, when the judgment is of ``date`` or earlier."""
        self.env["res.partner"].flush_model(["collection_insolvency_judgment_date"])
        self.flush_model(["invoice_date", "commercial_partner_id"])
        return SQL(
            """SELECT move.id
                 FROM account_move move
                 JOIN res_partner debtor ON debtor.id = move.commercial_partner_id
                WHERE debtor.collection_insolvency_judgment_date <= %(date)s
                  AND move.invoice_date < debtor.collection_insolvency_judgment_date""",
            date=date,
        )

    def _collection_penalty_stop_dates(self):
        """The judgment takes effect from the first hour of its day: the penalties run until the day before."""
        stops = super()._collection_penalty_stop_dates()
        for move in self:
            judgment = move.commercial_partner_id.collection_insolvency_judgment_date
            if judgment and move.invoice_date and move.invoice_date < judgment:
                last_day = fields.Date.subtract(judgment, days=1)
                stops[move] = min(last_day, stops.get(move, last_day))
        return stops
