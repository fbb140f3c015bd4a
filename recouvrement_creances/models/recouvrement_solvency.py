from collections import defaultdict

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL, float_round, format_date

from ..tools.scoring import SCORE_WINDOW_MONTHS, overdue_months, payment_score

# Fields only a collection manager may change: the class a manager imposes, and why.
OVERRIDE_FIELDS = {"override_class_id", "override_reason", "override_until"}


class RecouvrementSolvency(models.Model):
    """The solvency file of a customer in a company: its payment behaviour score (computed each night and on
    demand), the figures and external rating the company knows, and the risk class that follows, which a
    manager may override for a while. The class suggests the credit limit and the payment terms."""

    _name = "recouvrement.solvency"
    _description = "Solvency File"
    _inherit = ["mail.thread", "recouvrement.input.mixin"]
    _order = "score, id"
    _rec_name = "partner_id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('parent_id', '=', False)]",
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    # payment behaviour
    score = fields.Integer(readonly=True, help="0 (worst) to 100 (best): how this customer paid over 24 months.")
    score_date = fields.Date(string="Scored on", readonly=True)
    score_factors = fields.Json(readonly=True)
    score_explanation = fields.Html(compute="_compute_score_explanation", sanitize=False)
    score_class_id = fields.Many2one(
        "recouvrement.risk.class", string="Class from the Score", compute="_compute_risk_class_id", store=True
    )
    override_class_id = fields.Many2one("recouvrement.risk.class", string="Class Imposed", tracking=True)
    override_reason = fields.Char(tracking=True)
    override_until = fields.Date(string="Imposed Until", tracking=True)
    risk_class_id = fields.Many2one("recouvrement.risk.class", compute="_compute_risk_class_id", store=True, index=True)
    # what the company knows of the customer
    figure_ids = fields.One2many("recouvrement.solvency.figure", "solvency_id", string="Financial Figures")
    last_figure_id = fields.Many2one(
        "recouvrement.solvency.figure", string="Latest Figures", compute="_compute_last_figure_id"
    )
    rating_agency = fields.Char(tracking=True)
    rating_grade = fields.Char(string="Rating", tracking=True)
    rating_date = fields.Date(string="Rated on", tracking=True)
    note = fields.Html(string="Notes")
    # credit
    credit_limit = fields.Float(compute="_compute_credit", help="The customer's credit limit in this company.")
    credit = fields.Monetary(string="Total Receivable", compute="_compute_credit")
    suggested_credit_limit = fields.Monetary(
        compute="_compute_suggested_credit_limit",
        help="The class's share of the customer's last annual turnover, within the credit insurer's approved "
        "limit, rounded down to the hundred.",
    )
    payment_term_id = fields.Many2one(related="risk_class_id.payment_term_id", string="Proposed Payment Terms")
    partner_payment_term_id = fields.Many2one(
        related="partner_id.property_payment_term_id", string="Current Payment Terms"
    )

    _partner_company_unique = models.Constraint(
        "UNIQUE (partner_id, company_id)", "A customer has one solvency file per company."
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("score", "score_date", "override_class_id", "override_until")
    def _compute_risk_class_id(self):
        classes = self.env["recouvrement.risk.class"].search([("code", "!=", False)])
        today = fields.Date.context_today(self)
        for solvency in self:
            solvency.score_class_id = classes._for_score(solvency.score) if solvency.score_date else False
            imposed = solvency.override_class_id and (not solvency.override_until or solvency.override_until >= today)
            solvency.risk_class_id = solvency.override_class_id if imposed else solvency.score_class_id

    @api.depends("score_factors")
    def _compute_score_explanation(self):
        labels = self._score_factor_labels()
        for solvency in self:
            rows = Markup().join(
                Markup("<tr><td>%s</td><td class='text-end'>%s</td><td class='text-end'>%s</td></tr>")
                % (labels.get(factor["key"], factor["key"]), factor["value"], factor["points"])
                for factor in solvency.score_factors or []
                if factor["points"]
            )
            if not solvency.score_date:
                solvency.score_explanation = False
            elif not rows:
                solvency.score_explanation = escape(self.env._("No negative factor: full marks."))
            else:
                solvency.score_explanation = Markup(
                    "<table class='table table-sm o_recouvrement_score'><thead><tr><th>%s</th>"
                    "<th class='text-end'>%s</th><th class='text-end'>%s</th></tr></thead><tbody>%s</tbody></table>"
                ) % (self.env._("Factor"), self.env._("Value"), self.env._("Points"), rows)

    @api.depends("figure_ids.date")
    def _compute_last_figure_id(self):
        for solvency in self:
            solvency.last_figure_id = solvency.figure_ids.sorted("date", reverse=True)[:1]

    @api.depends("partner_id", "company_id")
    def _compute_credit(self):
        for company, solvencies in self.grouped("company_id").items():
            partners = solvencies.partner_id.with_company(company).sudo()
            for solvency in solvencies:
                partner = partners.browse(solvency.partner_id.id)
                solvency.credit_limit = partner.credit_limit
                solvency.credit = partner.credit

    @api.depends("risk_class_id", "last_figure_id", "partner_id", "company_id")
    def _compute_suggested_credit_limit(self):
        for solvency in self:
            turnover = solvency.last_figure_id.turnover
            limit = turnover * solvency.risk_class_id.credit_limit_rate / 100
            insured = solvency.partner_id.with_company(solvency.company_id).sudo().collection_insured_limit
            if insured:
                limit = min(limit, insured) if turnover else insured
            solvency.suggested_credit_limit = float_round(limit, precision_rounding=100, rounding_method="DOWN")

    @api.model
    def _score_factor_labels(self):
        return {
            "days_late_avg": self.env._("Average days late (24 months)"),
            "days_late_weighted": self.env._("Days late weighted by amount (24 months)"),
            "late_share": self.env._("Share of invoices paid late"),
            "overdue_months": self.env._("Overdue today, in months of invoicing"),
            "oldest_overdue_days": self.env._("Days overdue of the oldest invoice"),
            "broken_promises": self.env._("Broken promises to pay"),
            "broken_plans": self.env._("Broken payment plans"),
            "disputes": self.env._("Invoices in dispute"),
            "cases": self.env._("Contentious cases"),
        }

    # ------------------------------------------------------------------
    # Constraints and writes
    # ------------------------------------------------------------------

    @api.constrains("override_class_id", "override_reason")
    def _check_override(self):
        for solvency in self.filtered("override_class_id"):
            if not (solvency.override_reason or "").strip():
                raise ValidationError(self.env._("Say why you impose a risk class on %s.", solvency.partner_id.name))

    @api.model
    def _input_bounds(self):
        return {**super()._input_bounds(), "score": (0, 100)}

    @api.constrains("partner_id")
    def _check_partner(self):
        for solvency in self.filtered(lambda solvency: solvency.partner_id.parent_id):
            raise ValidationError(
                self.env._(
                    "A solvency file is kept for the customer itself: %(contact)s is a contact of %(customer)s.",
                    contact=solvency.partner_id.display_name,
                    customer=solvency.partner_id.commercial_partner_id.display_name,
                )
            )

    @api.constrains("override_until")
    def _check_override_until(self):
        today = fields.Date.context_today(self)
        for solvency in self.filtered(lambda solvency: solvency.override_until and solvency.override_until < today):
            raise ValidationError(
                self.env._(
                    "The class imposed on %(customer)s would already have ended (%(date)s): choose a day to come.",
                    customer=solvency.partner_id.display_name,
                    date=format_date(self.env, solvency.override_until),
                )
            )

    @api.constrains("rating_date")
    def _check_rating_date(self):
        today = fields.Date.context_today(self)
        if any(solvency.rating_date and solvency.rating_date > today for solvency in self):
            raise ValidationError(self.env._("A rating cannot be dated in the future."))

    @api.model_create_multi
    def create(self, vals_list):
        if any(OVERRIDE_FIELDS & vals.keys() for vals in vals_list):
            self._check_override_access()
        return super().create(vals_list)

    def write(self, vals):
        if OVERRIDE_FIELDS & vals.keys():
            self._check_override_access()
        return super().write(vals)

    def _check_override_access(self):
        if not self.env.su and not self.env.user.has_group("recouvrement_creances.group_recouvrement_manager"):
            raise AccessError(
                self.env._("Only a collection manager may impose a risk class, a credit limit or payment terms.")
            )

    # ------------------------------------------------------------------
    # Scoring
    # ------------------------------------------------------------------

    def action_compute_score(self):
        """Score these customers now."""
        for company, solvencies in self.grouped("company_id").items():
            self.with_company(company)._score_partners(solvencies.partner_id)
        return True

    @api.model
    def _score_partners(self, partners=None):
        """Score ``partners`` (default: every customer with an invoice due in the window, or open) in the
        current company, creating their files as needed. Returns the files."""
        today = fields.Date.context_today(self)
        inputs = self._score_inputs(today, partners)
        files = self._files_of(self.env["res.partner"].browse(inputs))
        for solvency in files.with_context(tracking_disable=True):
            score, factors = payment_score(inputs[solvency.partner_id.id])
            solvency.write({"score": score, "score_factors": factors, "score_date": today})
        return files

    @api.model
    def _files_of(self, partners):
        """The solvency files of ``partners`` in the current company, created for those that have none."""
        company = self.env.company
        files = self.search([("company_id", "=", company.id), ("partner_id", "in", partners.ids)])
        missing = partners - files.partner_id
        files |= self.with_context(tracking_disable=True, mail_create_nolog=True).create(
            [{"partner_id": partner.id, "company_id": company.id} for partner in missing]
        )
        return files

    @api.model
    def _score_inputs(self, today, partners=None):
        """{partner id: {factor: value}} of the debtors of the current company, read in a few aggregates."""
        since = fields.Date.subtract(today, months=SCORE_WINDOW_MONTHS)
        company = self.env.company
        if partners is not None and not partners:
            return {}
        partner_filter = SQL("AND line.partner_id IN %s", tuple(partners.ids)) if partners else SQL()
        rows = self.env.execute_query(
            SQL(
                """
                WITH items AS (
                    SELECT line.partner_id, line.balance AS amount, line.amount_residual AS residual,
                           line.reconciled, line.date_maturity AS due,
                           GREATEST(COALESCE(CASE WHEN line.reconciled THEN (
                               SELECT MAX(partial.max_date) FROM account_partial_reconcile partial
                                WHERE partial.debit_move_id = line.id) END, %(today)s) - line.date_maturity, 0)
                               AS days_late
                      FROM account_move_line line
                      JOIN account_move move ON move.id = line.move_id
                      JOIN account_account account ON account.id = line.account_id
                     WHERE line.company_id = %(company)s AND line.parent_state = 'posted'
                       AND account.account_type = 'asset_receivable' AND move.move_type = 'out_invoice'
                       AND line.balance > 0 AND line.partner_id IS NOT NULL AND line.date_maturity < %(today)s
                       AND (line.date_maturity >= %(since)s OR NOT line.reconciled) %(partner_filter)s
                )
                SELECT partner_id,
                       COUNT(*) FILTER (WHERE due >= %(since)s),
                       COUNT(*) FILTER (WHERE due >= %(since)s AND days_late > 0),
                       COALESCE(SUM(days_late) FILTER (WHERE due >= %(since)s), 0),
                       COALESCE(SUM(days_late * amount) FILTER (WHERE due >= %(since)s), 0),
                       COALESCE(SUM(amount) FILTER (WHERE due >= %(since)s), 0),
                       COALESCE(SUM(residual) FILTER (WHERE NOT reconciled), 0),
                       COALESCE(MAX(days_late) FILTER (WHERE NOT reconciled), 0)
                  FROM items GROUP BY partner_id
                """,
                today=today,
                since=since,
                company=company.id,
                partner_filter=partner_filter,
            )
        )
        inputs = {}
        for partner_id, count, late, days, weighted_days, invoiced, overdue, oldest in rows:
            inputs[partner_id] = {
                "days_late_avg": days / count if count else 0.0,
                "days_late_weighted": float(weighted_days) / float(invoiced) if invoiced else 0.0,
                "late_share": late / count if count else 0.0,
                "overdue_months": overdue_months(float(overdue), float(invoiced)),
                "oldest_overdue_days": oldest,
            }
        for key, counts in self._score_event_counts(since, today, list(inputs)).items():
            for partner_id, count in counts.items():
                inputs[partner_id][key] = count
        return inputs

    @api.model
    def _score_event_counts(self, since, today, partner_ids):
        """{factor: {partner id: count}} of the broken promises and plans, disputes and cases of the window."""
        company_domain = [("company_id", "=", self.env.company.id), ("partner_id", "in", partner_ids)]
        counts = defaultdict(dict)
        promises = (
            self.env["recouvrement.promise"]
            .sudo()
            .search([*company_domain, ("is_cancelled", "=", False), ("date", ">=", since), ("date", "<", today)])
        )
        for promise in promises.filtered(lambda p: p.state == "broken"):
            counts["broken_promises"][promise.partner_id.id] = (
                counts["broken_promises"].get(promise.partner_id.id, 0) + 1
            )
        aggregates = {
            "broken_plans": (
                "recouvrement.payment.plan",
                [("state", "=", "broken"), ("date", ">=", since)],
                "partner_id",
            ),
            "cases": ("recouvrement.case", [("date_open", ">=", since)], "partner_id"),
            "disputes": (
                "account.move",
                [
                    ("collection_dispute", "=", True),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                ],
                "commercial_partner_id",
            ),
        }
        for key, (model, domain, partner_field) in aggregates.items():
            groups = (
                self.env[model]
                .sudo()
                ._read_group(
                    [("company_id", "=", self.env.company.id), (partner_field, "in", partner_ids), *domain],
                    [partner_field],
                    ["__count"],
                )
            )
            counts[key].update({partner.id: count for partner, count in groups})
        return counts

    @api.model
    def _cron_compute_scores(self):
        """Nightly, in each company: score every debtor, end the class overrides that expired, and bring the
        credit holds up to date."""
        companies = self.env["res.company"].search([("active", "=", True)])
        self.env["ir.cron"]._commit_progress(remaining=len(companies))
        for company in companies:
            self.with_company(company)._score_partners()
            self.with_company(company)._end_expired_overrides()
            self.env["recouvrement.credit.hold"].with_company(company)._sync_company()
            self.env["ir.cron"]._commit_progress(1)

    @api.model
    def _end_expired_overrides(self):
        expired = self.search(
            [
                ("company_id", "=", self.env.company.id),
                ("override_class_id", "!=", False),
                ("override_until", "<", fields.Date.context_today(self)),
            ]
        )
        for solvency in expired:
            solvency.message_post(
                body=self.env._(
                    "The risk class %(risk_class)s imposed until %(date)s has ended; the score's class applies again.",
                    risk_class=solvency.override_class_id.code,
                    date=format_date(self.env, solvency.override_until),
                )
            )
        expired.sudo().write({"override_class_id": False, "override_reason": False, "override_until": False})

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_apply_credit_limit(self):
        """Set the customer's credit limit to the suggested one (collection managers)."""
        self._check_override_access()
        for solvency in self:
            partner = solvency.partner_id.with_company(solvency.company_id).sudo()
            previous = partner.credit_limit
            partner.write({"credit_limit": solvency.suggested_credit_limit})
            solvency.message_post(
                body=self.env._(
                    "Credit limit changed from %(previous)s to %(limit)s (suggested for class %(risk_class)s).",
                    previous=solvency.currency_id.format(previous),
                    limit=solvency.currency_id.format(solvency.suggested_credit_limit),
                    risk_class=solvency.risk_class_id.code or "-",
                )
            )
        return True

    def action_apply_payment_term(self):
        """Give the customer the payment terms proposed for its risk class (collection managers)."""
        self._check_override_access()
        for solvency in self.filtered("payment_term_id"):
            partner = solvency.partner_id.with_company(solvency.company_id).sudo()
            partner.property_payment_term_id = solvency.payment_term_id
            solvency.message_post(body=self.env._("Payment terms set to %s.", solvency.payment_term_id.display_name))
        return True
