from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from ..tools import AGED_COLUMNS

TREND_MONTHS = 12
TOP_DEBTORS = 20


class RecouvrementDashboard(models.AbstractModel):
    """The figures of the collection dashboard of the current company, for all customers or those of one
    collector or one salesperson. Each figure comes with the domain of the records behind it, to drill down."""

    _name = "recouvrement.dashboard"
    _description = "Collection Dashboard"

    @api.model
    def get_dashboard_data(self, collector_id=False, salesperson_id=False):
        if not self.env.user.has_group("recouvrement_creances.group_recouvrement_agent"):
            raise AccessError(self.env._("The collection dashboard is for collection users."))
        today = fields.Date.context_today(self)
        partner_domain = self._partner_domain(collector_id, salesperson_id)
        currency = self.env.company.currency_id
        aged = self._aged_figures(partner_domain)
        overdue = self._overdue_customers(partner_domain)
        return {
            "date": fields.Date.to_string(today),
            "currency": {"symbol": currency.symbol, "position": currency.position, "digits": currency.decimal_places},
            "filters": self._filter_choices(),
            "aged": aged,
            "totals": {
                "receivable": sum(bucket["amount"] for bucket in aged),
                "overdue": sum(bucket["amount"] for bucket in aged if bucket["key"] != "not_due"),
            },
            "trend": self._monthly_trend(today, partner_domain),
            "levels": self._level_figures(partner_domain),
            "plans": self._plan_figures(partner_domain),
            "cases": self._case_figures(partner_domain),
            "promises": self._promise_figures(today, partner_domain),
            "top_debtors": self._top_debtors(overdue),
            "collectors": self._collector_figures(today, partner_domain, overdue),
        }

    # ------------------------------------------------------------------
    # Filters
    # ------------------------------------------------------------------

    @api.model
    def _partner_domain(self, collector_id=False, salesperson_id=False):
        """Domain on the customers the figures cover."""
        domain = []
        if collector_id:
            domain.append(("collection_user_id", "=", collector_id))
        if salesperson_id:
            domain.append(("user_id", "=", salesperson_id))
        return domain

    @api.model
    def _on_partners(self, partner_domain, field="partner_id"):
        return [(field, "any", partner_domain)] if partner_domain else []

    @api.model
    def _filter_choices(self):
        users = self.env["res.users"].search([("share", "=", False), ("company_ids", "in", self.env.company.id)])
        return [{"id": user.id, "name": user.name} for user in users]

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------

    @api.model
    def _aged_items(self, partner_domain):
        """SQL of the open receivable items of the current company (the aged balance), as ``item``."""
        Aged = self.env["recouvrement.aged.balance"]
        partners = self._partner_filter(partner_domain, "item.partner_id")
        return SQL(
            "(SELECT * FROM (%s) AS item WHERE item.company_id = %s %s)",
            Aged._table_query,
            self.env.company.id,
            partners,
        )

    @api.model
    def _aged_figures(self, partner_domain):
        """The open receivables by column of the aged balance."""
        names = [f"amount_{suffix}" for suffix, _first, _last in AGED_COLUMNS]
        [totals] = self.env.execute_query(
            SQL(
                "SELECT %s FROM %s AS item",
                SQL(", ").join(SQL("COALESCE(SUM(item.%s), 0)", SQL.identifier(name)) for name in names),
                self._aged_items(partner_domain),
            )
        )
        return [
            {"key": suffix, "label": self._column_label(suffix), "amount": total}
            for (suffix, _first, _last), total in zip(AGED_COLUMNS, totals, strict=True)
        ]

    @api.model
    def _overdue_customers(self, partner_domain):
        """The customers with an overdue balance, read in one pass on the open items (the aged balance's
        index): the items are summed by their own partner first, then by commercial partner, a few thousand
        look-ups rather than one per item.

        :return: [(partner id, overdue amount, risk class code, risk weight (1 unscored), collector id)]
        """
        Aged = self.env["recouvrement.aged.balance"]
        company = self.env.company
        return self.env.execute_query(
            SQL(
                """
                WITH item AS (
                    SELECT line.partner_id, SUM(line.amount_residual) AS overdue
                      FROM account_move_line line
                      JOIN account_account account ON account.id = line.account_id
                     WHERE line.company_id = %(company)s AND %(open_item)s AND %(days)s > 0
                       AND line.partner_id IS NOT NULL
                  GROUP BY line.partner_id
                ), overdue AS (
                    SELECT partner.commercial_partner_id AS partner_id, SUM(item.overdue) AS amount
                      FROM item JOIN res_partner partner ON partner.id = item.partner_id
                  GROUP BY 1
                    HAVING SUM(item.overdue) > 0
                )
                SELECT overdue.partner_id, overdue.amount, risk.code, COALESCE(risk.risk_weight, 1),
                       (partner.collection_user_id ->> %(company_key)s)::int
                  FROM overdue
                  JOIN res_partner partner ON partner.id = overdue.partner_id
             LEFT JOIN recouvrement_solvency solvency
                    ON solvency.partner_id = overdue.partner_id AND solvency.company_id = %(company)s
             LEFT JOIN recouvrement_risk_class risk ON risk.id = solvency.risk_class_id
                 WHERE TRUE %(partners)s
                """,
                days=Aged._days_overdue_sql(),
                open_item=Aged._open_item_sql(),
                company=company.id,
                company_key=str(company.id),
                partners=self._partner_filter(partner_domain, "overdue.partner_id"),
            )
        )

    @api.model
    def _column_label(self, suffix):
        """The label of a column of the aged balance, in the user's language."""
        field = self.env["recouvrement.aged.balance"]._fields[f"amount_{suffix}"]
        return field.get_description(self.env)["string"]

    @api.model
    def action_open_bucket(self, key, collector_id=False, salesperson_id=False):
        """The customer invoices and credit notes with an open item in column ``key`` of the aged balance."""
        [(first, last)] = [(first, last) for suffix, first, last in AGED_COLUMNS if suffix == key]
        today = fields.Date.context_today(self)
        item = [
            ("company_id", "=", self.env.company.id),
            ("parent_state", "=", "posted"),
            ("account_type", "=", "asset_receivable"),
            ("reconciled", "=", False),
        ]
        if first is None:
            item.append(("date_maturity", ">=", fields.Date.subtract(today, days=last)))
        else:
            item.append(("date_maturity", "<=", fields.Date.subtract(today, days=first)))
            if last is not None:
                item.append(("date_maturity", ">=", fields.Date.subtract(today, days=last)))
        partner_domain = self._partner_domain(collector_id, salesperson_id)
        return self.env["account.move"]._get_records_action(
            name=self.env._("Receivables: %s", self._column_label(key)),
            views=[(self.env.ref("account.view_out_invoice_tree").id, "list"), (False, "form")],
            domain=[
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("line_ids", "any", item),
                *self._on_partners(partner_domain, "commercial_partner_id"),
            ],
            context={"default_move_type": "out_invoice"},
        )

    @api.model
    def _partner_filter(self, partner_domain, column="line.partner_id"):
        """SQL condition on ``column`` for the customers of ``partner_domain``."""
        if not partner_domain:
            return SQL()
        return SQL("AND %s IN %s", SQL(column), self.env["res.partner"]._search(partner_domain).subselect())

    @api.model
    def _open_invoice_domain(self, partner_domain):
        return [
            ("company_id", "=", self.env.company.id),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
            *self._on_partners(partner_domain, "commercial_partner_id"),
        ]

    @api.model
    def _level_figures(self, partner_domain):
        """What the open invoices still owe, by collection level reached."""
        domain = self._open_invoice_domain(partner_domain)
        groups = self.env["account.move"]._read_group(
            domain, ["collection_level_id"], ["amount_residual_signed:sum", "__count"]
        )
        return [
            {
                "name": level.display_name if level else self.env._("No reminder yet"),
                "amount": amount,
                "count": count,
                "model": "account.move",
                "domain": [*domain, ("collection_level_id", "=", level.id)],
            }
            for level, amount, count in sorted(groups, key=lambda g: (g[0].policy_id.id or 0, g[0].offset_days))
        ]

    @api.model
    def _plan_figures(self, partner_domain):
        """The payment plans by state: what they cover and what is still owed."""
        Plan = self.env["recouvrement.payment.plan"]
        domain = [("company_id", "=", self.env.company.id), *self._on_partners(partner_domain)]
        labels = dict(Plan._fields["state"]._description_selection(self.env))
        groups = Plan._read_group(domain, ["state"], ["amount_total:sum", "amount_residual:sum", "__count"])
        return [
            {
                "name": labels[state],
                "amount": amount_total,
                "residual": residual,
                "count": count,
                "model": Plan._name,
                "domain": [*domain, ("state", "=", state)],
            }
            for state, amount_total, residual, count in groups
        ]

    @api.model
    def _case_figures(self, partner_domain):
        """The contentious cases by stage: what is claimed and still outstanding."""
        Case = self.env["recouvrement.case"]
        domain = [("company_id", "=", self.env.company.id), *self._on_partners(partner_domain)]
        groups = Case._read_group(domain, ["stage_id"], ["amount_outstanding:sum", "__count"])
        return [
            {
                "name": stage.name,
                "amount": amount,
                "count": count,
                "model": Case._name,
                "domain": [*domain, ("stage_id", "=", stage.id)],
            }
            for stage, amount, count in sorted(groups, key=lambda g: (g[0].sequence, g[0].id))
        ]

    @api.model
    def _promise_figures(self, today, partner_domain):
        """The promises to pay of the last 12 months, kept, broken or still open."""
        promises = self.env["recouvrement.promise"].search(
            [
                ("company_id", "=", self.env.company.id),
                ("is_cancelled", "=", False),
                ("date", ">=", fields.Date.subtract(today, months=TREND_MONTHS)),
                *self._on_partners(partner_domain),
            ]
        )
        figures = {}
        for state in ("kept", "broken", "open"):
            matching = promises.filtered(lambda promise, state=state: promise.state == state)
            figures[state] = {
                "count": len(matching),
                "amount": sum(matching.mapped("amount")),
                "model": "recouvrement.promise",
                "domain": [("id", "in", matching.ids)],
            }
        return figures

    @api.model
    def _top_debtors(self, overdue_customers):
        """The customers that weigh most: overdue amount times the risk weight of their class (1 unscored)."""
        weighted = sorted(
            (
                (overdue * weight, partner_id, overdue, code)
                for partner_id, overdue, code, weight, _collector in overdue_customers
            ),
            key=lambda row: (-row[0], row[1]),
        )[:TOP_DEBTORS]
        partners = self.env["res.partner"].browse([row[1] for row in weighted])
        partners.fetch(["display_name"])
        return [
            {
                "id": partner_id,
                "name": partners.browse(partner_id).display_name,
                "overdue": overdue,
                "risk_class": code or "",
                "weighted": weight,
            }
            for weight, partner_id, overdue, code in weighted
        ]

    @api.model
    def _collector_figures(self, today, partner_domain, overdue_customers):
        """Each collector's portfolio (customers overdue, overdue amount) and this month's results (collected
        on their customers' invoices, collection actions done)."""
        company = self.env.company
        month_start = fields.Date.start_of(today, "month")
        figures = defaultdict(lambda: {"debtors": 0, "overdue": 0.0, "collected": 0.0, "actions": 0})
        for _partner_id, overdue, _code, _weight, collector in overdue_customers:
            figures[collector]["overdue"] += overdue
            figures[collector]["debtors"] += 1
        rows = self.env.execute_query(
            SQL(
                """
                WITH collected AS (
                    SELECT line.partner_id, SUM(partial.amount) AS amount, 0 AS actions
                      FROM account_partial_reconcile partial
                      JOIN account_move_line line ON line.id = partial.debit_move_id
                      JOIN account_move move ON move.id = line.move_id
                      JOIN account_move_line paying ON paying.id = partial.credit_move_id
                      JOIN account_move paid_by ON paid_by.id = paying.move_id
                     WHERE partial.company_id = %(company)s AND partial.max_date >= %(month_start)s
                       AND move.move_type = 'out_invoice' AND paid_by.move_type != 'out_refund' %(line_partners)s
                  GROUP BY line.partner_id
                ), actions AS (
                    SELECT action.partner_id, 0 AS amount, COUNT(*) AS actions
                      FROM recouvrement_action action
                     WHERE action.company_id = %(company)s AND action.state = 'done' AND action.date >= %(month_start)s
                       %(action_partners)s
                  GROUP BY action.partner_id
                ), result AS (SELECT * FROM collected UNION ALL SELECT * FROM actions)
                SELECT result.partner_id, (partner.collection_user_id ->> %(company_key)s)::int,
                       SUM(result.amount), SUM(result.actions)
                  FROM result LEFT JOIN res_partner partner ON partner.id = result.partner_id
              GROUP BY 1, 2
                """,
                company=company.id,
                company_key=str(company.id),
                month_start=month_start,
                line_partners=self._partner_filter(partner_domain),
                action_partners=self._partner_filter(partner_domain, "action.partner_id"),
            )
        )
        for _partner_id, collector, amount, actions in rows:
            figures[collector]["collected"] += amount or 0.0
            figures[collector]["actions"] += actions or 0
        users = self.env["res.users"].browse([user_id for user_id in figures if user_id]).exists()
        return [
            {
                "id": user_id or False,
                "name": users.browse(user_id).name if user_id in users.ids else self.env._("No collector"),
                **figure,
                "domain": [
                    ("company_id", "=", company.id),
                    ("days_overdue", ">", 0),
                    ("partner_id.collection_user_id", "=", user_id or False),
                ],
            }
            for user_id, figure in sorted(figures.items(), key=lambda item: -item[1]["overdue"])
        ]

    # ------------------------------------------------------------------
    # Weekly digest
    # ------------------------------------------------------------------

    @api.model
    def _cron_sales_digest(self):
        """Weekly, in the companies that enabled it: each salesperson receives the list of their customers
        that are overdue or on credit hold."""
        for company in self.env["res.company"].search([("collection_sales_digest", "=", True)]):
            self.with_company(company)._send_sales_digest()
            self.env["ir.cron"]._commit_progress(1)

    @api.model
    def _sales_digest_rows(self):
        """{salesperson: [(customer, overdue amount, current holds)]} of the current company."""
        company = self.env.company
        overdue = {
            partner: amount
            for partner, amount in self.env["recouvrement.aged.balance"]._read_group(
                [("company_id", "=", company.id), ("days_overdue", ">", 0), ("partner_id.user_id", "!=", False)],
                ["partner_id"],
                ["amount_total:sum"],
            )
            if amount > 0
        }
        holds = (
            self.env["recouvrement.credit.hold"]
            .sudo()
            .search([("company_id", "=", company.id), ("date_end", "=", False)])
        )
        held = holds.grouped("partner_id")
        customers = self.env["res.partner"].union(*overdue, *held).filtered("user_id")
        rows = defaultdict(list)
        for customer in customers.sorted(lambda p: -overdue.get(p, 0.0)):
            rows[customer.user_id].append((customer, overdue.get(customer, 0.0), held.get(customer, holds.browse())))
        return rows

    @api.model
    def _send_sales_digest(self):
        company = self.env.company
        mails = []
        for user, rows in self._sales_digest_rows().items():
            if user.share or not user.email or company not in user.company_ids:
                continue
            env = self.with_context(lang=user.lang).env
            body = env["ir.qweb"]._render(
                "recouvrement_creances.sales_digest",
                {"user": user, "company": company, "rows": rows, "currency": company.currency_id},
            )
            mails.append(
                {
                    "subject": env._("Your customers overdue or on credit hold (%s)", company.name),
                    "body_html": body,
                    "email_from": company.email_formatted or self.env.user.email_formatted,
                    "recipient_ids": [fields.Command.link(user.partner_id.id)],
                    "auto_delete": True,
                }
            )
        return self.env["mail.mail"].sudo().create(mails)
