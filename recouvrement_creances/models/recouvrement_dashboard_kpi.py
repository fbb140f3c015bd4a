from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL, format_date

from ..tools.kpi import cei, dso_countback, months_between
from .recouvrement_dashboard import TREND_MONTHS


class RecouvrementDashboard(models.AbstractModel):
    """The monthly trend of the dashboard: the receivables at each month's end, the sales, the DSO (countback) and
    the collection effectiveness index (CEI)."""

    _inherit = "recouvrement.dashboard"

    @api.model
    def _receivable_account_ids(self):
        return tuple(
            self.env["account.account"]
            .sudo()
            .with_context(active_test=False)
            .search([("account_type", "=", "asset_receivable")])
            .ids
        ) or (0,)

    @api.model
    def _monthly_trend(self, today, partner_domain):
        """For each of the last months: the receivables at its end, its sales, the DSO (countback) and the
        CEI. The current month ends today."""
        first_month = fields.Date.start_of(fields.Date.subtract(today, months=TREND_MONTHS - 1), "month")
        sales_since = fields.Date.subtract(first_month, months=TREND_MONTHS)
        window = [fields.Date.add(sales_since, months=index) for index in range(2 * TREND_MONTHS)]
        movements, sales, opening = defaultdict(float), defaultdict(float), 0.0
        lines = self._receivable_history(today, partner_domain)
        for date, _date_maturity, is_sale, balance in lines:
            index = months_between(sales_since, date)
            if index < TREND_MONTHS:
                opening += balance
            if index >= 0:
                movements[window[index]] += balance
                sales[window[index]] += balance if is_sale else 0.0
        not_due = self._not_due_at_month_ends(first_month, today, partner_domain, lines)
        trend, balance = [], opening
        for index, month in enumerate(window[TREND_MONTHS:]):
            start_balance = balance
            balance += movements[month]
            history = [
                (fields.Date.subtract(month, months=back), sales[fields.Date.subtract(month, months=back)])
                for back in range(2 * TREND_MONTHS)
            ]
            trend.append(
                {
                    "month": format_date(self.env, month, date_format="MMM yyyy"),
                    "receivable": balance,
                    "sales": sales[month],
                    "dso": dso_countback(balance, history),
                    "cei": cei(start_balance, sales[month], balance, not_due[index]),
                }
            )
        return trend

    @api.model
    def _receivable_history(self, today, partner_domain):
        """The receivable lines up to today, read in one index-only scan and summed by date, due date (of the
        debits only) and whether they come from a sales journal: a few thousand rows.

        :return: [(date, due date or None, from a sales journal, balance)]
        """
        return self.env.execute_query(
            SQL(
                """
                SELECT line.date, CASE WHEN line.balance > 0 THEN line.date_maturity END,
                       line.journal_id = ANY(%(sale_journals)s), SUM(line.balance)
                  FROM account_move_line line
                 WHERE line.account_id IN %(accounts)s AND line.parent_state = 'posted'
                   AND line.company_id = %(company)s AND line.date <= %(today)s %(partners)s
              GROUP BY 1, 2, 3
                """,
                sale_journals=self.env["account.journal"].sudo().search([("type", "=", "sale")]).ids,
                accounts=self._receivable_account_ids(),
                company=self.env.company.id,
                today=today,
                partners=self._partner_filter(partner_domain),
            )
        )

    @api.model
    def _not_due_at_month_ends(self, first_month, today, partner_domain, lines):
        """[receivables not yet due at the end of each month from ``first_month`` (today for the current
        month)]: the invoices' receivable lines (``lines``, from _receivable_history) dated by then and due
        after, less what was reconciled with them by then."""
        first_end = min(fields.Date.end_of(first_month, "month"), today)
        paid = self.env.execute_query(
            SQL(
                """
                SELECT line.date, line.date_maturity, date_trunc('month', partial.max_date::timestamp)::date,
                       SUM(partial.amount)
                  FROM account_partial_reconcile partial
                  JOIN account_move_line line ON line.id = partial.debit_move_id
                 WHERE partial.company_id = %(company)s AND partial.max_date <= %(today)s
                   AND line.account_id IN %(accounts)s AND line.parent_state = 'posted'
                   AND line.company_id = %(company)s AND line.balance > 0
                   AND line.date_maturity > %(first_end)s AND line.date <= %(today)s %(partners)s
              GROUP BY 1, 2, 3
                """,
                accounts=self._receivable_account_ids(),
                company=self.env.company.id,
                first_end=first_end,
                today=today,
                partners=self._partner_filter(partner_domain),
            )
        )
        not_due = [0.0] * TREND_MONTHS
        spans = [
            (date, date_maturity, first_month, balance)
            for date, date_maturity, _is_sale, balance in lines
            if date_maturity and date_maturity > first_end
        ]
        spans += [(date, date_maturity, paid_month, -amount) for date, date_maturity, paid_month, amount in paid]
        for date, date_maturity, since, amount in spans:
            for index in self._not_due_months(first_month, today, date, date_maturity, since):
                not_due[index] += amount
        return not_due

    @api.model
    def _not_due_months(self, first_month, today, date, date_maturity, since):
        """The months (indexes from ``first_month``, from the month of ``since`` on) at whose end an item dated
        ``date`` and due ``date_maturity`` was not due yet. Month ``k`` ends at its last day, the current month
        today."""
        last = TREND_MONTHS - 1
        start = max(months_between(first_month, date), months_between(first_month, since), 0)
        end = last if date_maturity > today else months_between(first_month, date_maturity) - 1
        return range(start, min(end, last) + 1)
