from odoo import fields, models
from odoo.tools import SQL

from ..tools import AGED_COLUMNS


class RecouvrementAgedBalance(models.Model):
    """The aged balance: every open receivable item, in company currency, in the column of its days overdue.
    Its total is the balance of the receivable and doubtful debts accounts (411 and 416), to the cent: an item is
    its line's residual. A transfer to doubtful debts keeps its invoice's due date, so the debt stays in its age
    column.

    It is drawn today, or on the date given by the context key ``aged_balance_date`` (a year end): then only the
    lines dated on or before that date are in, each item is its line's residual on that date (what was reconciled
    after it is added back) and its days overdue are counted to that date. The statutory payment-delay table
    (D. 441-6) ages the invoices with the same SQL."""

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
        return self._aged_items_sql(self._receivable_account_sql())

    def _aged_items_sql(self, accounts):
        """SQL: one row per open item on the accounts ``accounts`` (an SQL condition on ``account``) at the date
        of the balance, with the columns of this model. The payables of the payment-delay table are aged with it
        (their items are negative)."""
        days = self._days_overdue_sql()
        residual = self._residual_sql()
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
                   %(residual)s AS amount_total
              FROM account_move_line line
              JOIN account_account account ON account.id = line.account_id
              JOIN res_company company ON company.id = line.company_id
         LEFT JOIN res_partner partner ON partner.id = line.partner_id
                   %(reconciled_later)s
             WHERE %(open_item)s
            """,
            days=days,
            columns=SQL(", ").join(
                SQL("%s AS %s", self._aged_column(days, first, last), SQL.identifier(f"amount_{suffix}"))
                for suffix, first, last in AGED_COLUMNS
            ),
            residual=residual,
            reconciled_later=self._reconciled_later_join(),
            open_item=self._open_item_sql(accounts),
        )

    def _aged_date(self):
        """The date the balance is drawn at (the context's ``aged_balance_date``), or None: today, on the residuals
        as they stand."""
        date = self.env.context.get("aged_balance_date")
        return fields.Date.to_date(date) if date else None

    def _days_overdue_sql(self):
        """SQL: the days the item ``line`` is overdue at the date of the balance (negative before its due date)."""
        return SQL(
            "(%s::date - COALESCE(line.date_maturity, line.date))",
            self._aged_date() or fields.Date.context_today(self),
        )

    def _residual_sql(self):
        """SQL: the residual of ``line`` in company currency at the date of the balance. On a past date, the
        amounts reconciled after it (partials whose ``max_date`` is later, joined as ``reconciled_later`` by
        :meth:`_reconciled_later_join`) are added back: a payment dated after the year end did not reduce the
        debt at the year end."""
        if not self._aged_date():
            return SQL("line.amount_residual")
        return SQL("(line.amount_residual + COALESCE(reconciled_later.amount, 0))")

    def _reconciled_later_join(self):
        """SQL: on a past date, the join ``reconciled_later`` of the amounts, in company currency, reconciled on
        each line after that date (positive on the debit side: what the debit line was still owed); nothing
        today."""
        date = self._aged_date()
        if not date:
            return SQL()
        return SQL(
            """
            LEFT JOIN (
                SELECT later.line_id, SUM(later.amount) AS amount
                  FROM (SELECT partial.debit_move_id AS line_id, partial.amount
                          FROM account_partial_reconcile partial
                         WHERE partial.max_date > %(date)s
                     UNION ALL
                        SELECT partial.credit_move_id, -partial.amount
                          FROM account_partial_reconcile partial
                         WHERE partial.max_date > %(date)s) AS later
              GROUP BY later.line_id
            ) AS reconciled_later ON reconciled_later.line_id = line.id
            """,
            date=date,
        )

    def _receivable_account_sql(self):
        """SQL condition: the ``account`` of the item is a receivable account or a company's doubtful debts
        account (416, not a receivable account in the French chart): a doubtful debt is still owed."""
        return SQL(
            "(account.account_type = 'asset_receivable' OR account.id = ANY(%s))",
            self._doubtful_account_ids(),
        )

    def _open_item_sql(self, accounts=None):
        """SQL condition: ``line`` (joined with its ``account``) is an open item of the accounts ``accounts`` (an
        SQL condition on ``account``; by default the receivable and doubtful debts accounts) at the date of the
        balance. On a past date, the line is dated on or before it and its residual then (see
        :meth:`_residual_sql`) is not zero, whether it was reconciled since or not."""
        accounts = accounts or self._receivable_account_sql()
        date = self._aged_date()
        if not date:
            return SQL(
                """line.parent_state = 'posted'
                   AND %s
                   AND line.reconciled IS NOT TRUE
                   AND line.amount_residual != 0""",
                accounts,
            )
        return SQL(
            """line.parent_state = 'posted'
               AND %s
               AND line.date <= %s
               AND %s != 0""",
            accounts,
            date,
            self._residual_sql(),
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
        """SQL: the residual of ``line`` at the date of the balance if it is in the column of ``first`` to ``last``
        days overdue, else 0."""
        bounds = []
        if first is not None:
            bounds.append(SQL("%s >= %s", days, first))
        if last is not None:
            bounds.append(SQL("%s <= %s", days, last))
        return SQL("CASE WHEN %s THEN %s ELSE 0 END", SQL(" AND ").join(bounds), self._residual_sql())
