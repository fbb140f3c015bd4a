from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class RecouvrementDebtor(models.Model):
    """One row per company and debtor with open customer invoices: the collection portfolio."""

    _name = "recouvrement.debtor"
    _description = "Debtor in Collection"
    _auto = False
    _order = "amount_overdue desc"

    partner_id = fields.Many2one("res.partner", string="Debtor", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    level_id = fields.Many2one("recouvrement.level", string="Highest Level", readonly=True)
    invoice_count = fields.Integer(string="Open Invoices", readonly=True)
    amount_due = fields.Monetary(string="Total Due", readonly=True)
    amount_overdue = fields.Monetary(string="Overdue", readonly=True)
    oldest_due_date = fields.Date(readonly=True)
    collection_user_id = fields.Many2one(related="partner_id.collection_user_id", string="Collector")

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT MIN(move.id) AS id,
                   move.commercial_partner_id AS partner_id,
                   move.company_id,
                   company.currency_id,
                   (ARRAY_AGG(level.id ORDER BY level.offset_days DESC NULLS LAST))[1] AS level_id,
                   COUNT(*) AS invoice_count,
                   SUM(move.amount_residual_signed) AS amount_due,
                   SUM(move.amount_residual_signed)
                       FILTER (WHERE move.invoice_date_due < CURRENT_DATE) AS amount_overdue,
                   MIN(move.invoice_date_due) AS oldest_due_date
              FROM account_move move
              JOIN res_company company ON company.id = move.company_id
         LEFT JOIN recouvrement_level level ON level.id = move.collection_level_id
             WHERE move.move_type = 'out_invoice'
               AND move.state = 'posted'
               AND move.payment_state IN ('not_paid', 'partial')
          GROUP BY move.commercial_partner_id, move.company_id, company.currency_id
            """
        )

    def action_open_partner(self):
        self.ensure_one()
        return self.partner_id._get_records_action(name=self.partner_id.display_name)

    def action_follow_up(self):
        """The follow-up of this debtor: preview, edit, send and print."""
        if len(self) != 1:
            raise UserError(self.env._("Follow up one debtor at a time."))
        return self.partner_id.with_company(self.company_id).action_collection_follow_up()
