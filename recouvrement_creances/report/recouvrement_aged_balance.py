from odoo import fields, models
from odoo.tools import SQL

from ..tools import AGED_COLUMNS


class RecouvrementAgedBalance(models.Model):
    """The aged balance: every open receivable item, in company currency, in the column of its days overdue.
    Its total is the balance of the receivable and doubtful debts accounts (411 and 416), to the cent: an item is
    its line's residual. A transfer to doubtful debts keeps its invoice's due date, so the debt stays in its age
    column."""

    _name = "recouvrement.aged.balance"
    _description = "Aged Receivable Balance"
    _auto = False
    _order = "partner_id, date_maturity, id"

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", string="Company Currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    move_id = fields.Many2one("account.move", string="Entry", readonly=True)
    account_id = fields.Many2one("account.account", readonly=True)
    date_maturity = fields.Date(string="Due Date", readonly=True)
    days_overdue = fields.Integer(readonly=True, aggregator="max")
    amount_not_due = fields.Monetary(string="Not Due", readonly=True)
    amount_1_30 = fields.Monetary(string="1–30", readonly=True)
    amount_31_60 = fields.Monetary(string="31–60", readonly=True)
    amount_61_90 = fields.Monetary(string="61–90", readonly=True)
    amount_91_180 = fields.Monetary(string="91–180", readonly=True)
    amount_over_180 = fields.Monetary(string="> 180", readonly=True)
    amount_total = fields.Monetary(string="Total", readonly=True)

    @property
    def _table_query(self):
        days = self._days_overdue_sql()
        return SQL(
            """
            SELECT line.id,
                   line.company_id,
                   company.currency_id,
                   COALESCE(partner.commercial_partner_id, line.partner_id) AS partner_id,
                   line.move_id,
                   line.account_id,
                   COALESCE(line.date_maturity, line.date) AS date_maturity,
                   GREATEST(%(days)s, 0) AS days_overdue,
                   %(columns)s,
                   line.amount_residual AS amount_total
              FROM account_move_line line
              JOIN account_account account ON account.id = line.account_id
              JOIN res_company company ON company.id = line.company_id
         LEFT JOIN res_partner partner ON partner.id = line.partner_id
             WHERE %(open_item)s
            """,
            days=days,
            columns=SQL(", ").join(
                SQL("%s AS %s", self._aged_column(days, first, last), SQL.identifier(f"amount_{suffix}"))
                for suffix, first, last in AGED_COLUMNS
            ),
            open_item=self._open_item_sql(),
        )

    def _days_overdue_sql(self):
        """SQL: the days the item ``line`` is overdue today (negative before its due date)."""
        return SQL("(%s::date - COALESCE(line.date_maturity, line.date))", fields.Date.context_today(self))

    def _open_item_sql(self):
        """SQL condition: ``line`` (joined with its ``account``) is an open receivable item, on a receivable account
        or on a company's doubtful debts account (416, not a receivable account in the French chart): a doubtful
        debt is still owed."""
        return SQL(
            """line.parent_state = 'posted'
               AND (account.account_type = 'asset_receivable' OR account.id = ANY(%s))
               AND line.reconciled IS NOT TRUE
               AND line.amount_residual != 0""",
            self._doubtful_account_ids(),
        )

    def _doubtful_account_ids(self):
        """The doubtful debts accounts of the user's companies (configured, else the French chart's)."""
        companies = (self.env.companies | self.env.user.company_ids).sudo()
        return [
            account.id
            for account in (
                company._collection_doubtful_account("doubtful", raise_if_missing=False) for company in companies
            )
            if account
        ]

    def _aged_column(self, days, first, last):
        """SQL: the residual of ``line`` if it is in the column of ``first`` to ``last`` days overdue, else 0."""
        bounds = []
        if first is not None:
            bounds.append(SQL("%s >= %s", days, first))
        if last is not None:
            bounds.append(SQL("%s <= %s", days, last))
        return SQL("CASE WHEN %s THEN line.amount_residual ELSE 0 END", SQL(" AND ").join(bounds))
