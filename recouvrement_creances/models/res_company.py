from psycopg2.errors import LockNotAvailable

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_date, formatLang

# Accounts of the French chart (l10n_fr) used by default: late-payment interest is financial income on
# commercial receivables (763100); the fixed indemnity is a penalty received on sales (758100).
FR_PENALTY_ACCOUNTS = {"penalty": "pcg_7631", "indemnity": "pcg_7581"}
# Doubtful debts (PCG): the receivable moves to 416, its impairment excluding VAT is booked 6817 / 491 and
# reversed to 7817, and an irrecoverable debt is written off to 654 (6541 for a debt of the year, 6544 for an
# older one).
FR_DOUBTFUL_ACCOUNTS = {
    "doubtful": "pcg_416",
    "impairment": "pcg_491",
    "impairment_expense": "pcg_68174",
    "impairment_income": "pcg_78174",
    "write_off": "pcg_6544",
    "write_off_year": "pcg_6541",
}


class ResCompany(models.Model):
    _name = "res.company"
    _inherit = ["res.company", "recouvrement.input.mixin"]

    collection_auto_run = fields.Boolean(
        string="Daily Collection Run",
        default=True,
        help="Each day, propose the collection actions and execute those of levels that need no validation.",
    )
    collection_hold_on_limit = fields.Boolean(
        string="Credit Hold beyond the Credit Limit",
        help="A customer whose total receivable exceeds its credit limit is put on credit hold until it is back "
        "within it; an invoice that would take it beyond is posted by a collection manager only.",
    )
    collection_sales_digest = fields.Boolean(
        string="Weekly Digest to Salespeople",
        help="Each week, email every salesperson the list of their customers that are overdue or on credit hold.",
    )
    collection_b2b_policy_id = fields.Many2one(
        "recouvrement.policy",
        string="Default Policy for Businesses",
        domain="[('company_id', '=', id), ('customer_kind', '=', 'b2b')]",
    )
    collection_b2c_policy_id = fields.Many2one(
        "recouvrement.policy",
        string="Default Policy for Individuals",
        domain="[('company_id', '=', id), ('customer_kind', '=', 'b2c')]",
    )

    collection_penalty_account_id = fields.Many2one(
        "account.account",
        string="Penalty Income Account",
        check_company=True,
        domain="[('account_type', 'in', ('income', 'income_other'))]",
        help="Income account of the late-payment penalties invoiced. Default with the French chart: 763100.",
    )
    collection_indemnity_account_id = fields.Many2one(
        "account.account",
        string="Indemnity Income Account",
        check_company=True,
        domain="[('account_type', 'in', ('income', 'income_other'))]",
        help="Income account of the fixed recovery indemnities invoiced. Default with the French chart: 758100.",
    )
    # the scale of the contentious cases' decision aid
    collection_legal_cost_fixed = fields.Monetary(
        string="Legal Procedure: Fixed Costs",
        currency_field="currency_id",
        default=150.0,
        help="Court fees and the service of the order by a commissaire de justice, for one injunction to pay.",
    )
    collection_legal_cost_rate = fields.Float(
        string="Legal Procedure: Proportional Costs (%)",
        default=5.0,
        help="Lawyer and enforcement costs, as a share of the amount claimed.",
    )
    collection_agency_rate = fields.Float(
        string="Collection Agency Commission (%)", default=15.0, help="The agency's commission on what it recovers."
    )
    collection_doubtful_account_id = fields.Many2one(
        "account.account",
        string="Doubtful Debts Account",
        check_company=True,
        help="Where doubtful receivables are transferred. Default with the French chart: 416000.",
    )
    collection_impairment_account_id = fields.Many2one(
        "account.account",
        string="Impairment Account",
        check_company=True,
        help="Impairment of receivables. Default with the French chart: 491000.",
    )
    collection_impairment_expense_account_id = fields.Many2one(
        "account.account",
        string="Impairment Expense Account",
        check_company=True,
        help="Charge of the impairment. Default with the French chart: 681740.",
    )
    collection_impairment_income_account_id = fields.Many2one(
        "account.account",
        string="Impairment Reversal Account",
        check_company=True,
        help="Reversal of the impairment. Default with the French chart: 781740.",
    )
    collection_write_off_account_id = fields.Many2one(
        "account.account",
        string="Write-Off Account",
        check_company=True,
        help="Loss on irrecoverable receivables. Default with the French chart: 654100 for a debt of the year, "
        "654400 for an older one.",
    )
    collection_legal_form = fields.Char(
        string="Legal Form and Capital",
        help="Printed in the letterhead of collection letters, e.g. SARL au capital de 50 000 €.",
    )
    collection_trade_register = fields.Char(
        string="Trade Register",
        help="Printed in the letterhead of collection letters, e.g. RCS Lyon.",
    )
    collection_invoice_mention = fields.Boolean(
        string="Penalty Terms on Invoices",
        default=True,
        help="Print on the invoices of business customers the late-payment penalty rate and the 40 EUR "
        "recovery indemnity (Code de commerce L441-9).",
    )

    collection_run_serial = fields.Integer(
        string="Collection Runs Serial",
        readonly=True,
        copy=False,
        help="Counts the collection proposals and executions of the company: each takes this row's lock, so that "
        "one at a time runs per company.",
    )
    collection_evidence_check_date = fields.Datetime(string="Evidence Last Checked on", readonly=True, copy=False)
    collection_evidence_check_ok = fields.Boolean(string="Evidence Intact", readonly=True, copy=False)
    collection_evidence_check_result = fields.Text(string="Evidence Check", readonly=True, copy=False)

    @api.model
    def _input_bounds(self):
        return {
            **super()._input_bounds(),
            "collection_legal_cost_fixed": (0, None),
            "collection_legal_cost_rate": (0, 100),
            "collection_agency_rate": (0, 100),
        }

    def _input_record_label(self, vals=None):
        # Odoo names the model in the plural ("Sociétés"): a message is about one company
        if len(self) == 1:
            return self.env._("Company “%(company)s”", company=self.name)
        return super()._input_record_label(vals)

    @api.constrains("collection_b2b_policy_id", "collection_b2c_policy_id")
    def _check_recouvrement_default_policies(self):
        """A default policy is one of the company's, for its kind of customers, with at least one level."""
        for company in self:
            for kind, policy in (
                ("b2b", company.collection_b2b_policy_id),
                ("b2c", company.collection_b2c_policy_id),
            ):
                if not policy:
                    continue
                if policy.company_id != company:
                    raise ValidationError(
                        self.env._(
                            "The policy “%(policy)s” belongs to %(other)s: it cannot be a default policy of "
                            "%(company)s.",
                            policy=policy.name,
                            other=policy.company_id.name,
                            company=company.name,
                        )
                    )
                if policy.customer_kind != kind:
                    message = (
                        self.env._(
                            "The policy “%(policy)s” is for individuals: it cannot be the default policy for "
                            "businesses "
                            "of %(company)s.",
                            policy=policy.name,
                            company=company.name,
                        )
                        if kind == "b2b"
                        else self.env._(
                            "The policy “%(policy)s” is for businesses: it cannot be the default policy for "
                            "individuals of %(company)s.",
                            policy=policy.name,
                            company=company.name,
                        )
                    )
                    raise ValidationError(message)
                if not policy.level_ids:
                    raise ValidationError(
                        self.env._(
                            "The policy “%(policy)s” has no level: it cannot be a default policy of %(company)s.",
                            policy=policy.name,
                            company=company.name,
                        )
                    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._collection_install_default_policies()
        return companies

    def _collection_install_default_policies(self):
        """Give each company without policies a copy of the default B2B and B2C policies."""
        templates = {
            kind: (
                self.env.ref(f"recouvrement_creances.policy_{kind}", raise_if_not_found=False)
                or self.env["recouvrement.policy"]
            ).sudo()
            for kind in ("b2b", "b2c")
        }
        if not all(templates.values()):
            return
        templates["b2b"].company_id.filtered(lambda c: c.id in self.ids and not c.collection_b2b_policy_id).write(
            {"collection_b2b_policy_id": templates["b2b"].id, "collection_b2c_policy_id": templates["b2c"].id}
        )
        have_policies = {
            company.id
            for [company] in self.env["recouvrement.policy"]
            .sudo()
            .with_context(active_test=False)
            ._read_group([("company_id", "in", self.ids)], ["company_id"])
        }
        for company in self.filtered(lambda c: c.id not in have_policies):
            copies = {kind: policy.copy({"company_id": company.id}) for kind, policy in templates.items()}
            company.sudo().write(
                {"collection_b2b_policy_id": copies["b2b"].id, "collection_b2c_policy_id": copies["b2c"].id}
            )

    def _collection_lock(self, wait=True):
        """Take the collection lock of these companies until the end of the transaction.

        One proposal or execution at a time per company, whatever the worker or the server: the lock is the
        company's row, in PostgreSQL; another company's run never waits for it. Once it is taken, this
        transaction has seen everything the other runs of these companies committed: one that committed after
        this transaction began makes it fail with a serialization error, which Odoo's RPC layer and the daily
        run retry with a fresh snapshot.

        :param wait: wait for a run in progress (the daily cron), else refuse at once with a clear message
            (a user's button)
        """
        if not self:
            return
        ids = tuple(sorted(self.ids))
        if not wait:
            try:
                with self.env.cr.savepoint(flush=False):
                    self.env.cr.execute(
                        SQL("SELECT id FROM res_company WHERE id IN %s FOR NO KEY UPDATE NOWAIT", ids),
                        log_exceptions=False,
                    )
            except LockNotAvailable:
                raise UserError(
                    self.env._(
                        "A collection run of %(companies)s is in progress (proposal or execution, by another user "
                        "or the daily run). Try again in a few moments: nothing was proposed or sent twice.",
                        companies=", ".join(self.mapped("name")),
                    )
                ) from None
        self.env.cr.execute(
            SQL(
                "UPDATE res_company SET collection_run_serial = COALESCE(collection_run_serial, 0) + 1 WHERE id IN %s",
                ids,
            ),
            log_exceptions=False,
        )
        self.invalidate_recordset(["collection_run_serial"])

    def _collection_share_lock(self):
        """Take the collection lock of these companies, shared, until the end of the transaction: the collection
        workers executing a daily run's batches hold it together, while a proposal or a manual execution
        (``_collection_lock``) waits for them, or they for it. Like the exclusive lock, once taken, this transaction
        has seen what a proposal or an execution committed: one that committed after it began makes it fail with a
        serialization error, and the worker retries the batch with a fresh snapshot."""
        if self:
            self.env.cr.execute(
                SQL("SELECT id FROM res_company WHERE id IN %s FOR SHARE", tuple(sorted(self.ids))),
                log_exceptions=False,
            )

    def _collection_default_policy(self, kind):
        """The default policy of ``kind`` (b2b/b2c): the configured one, else the first of that kind."""
        self.ensure_one()
        configured = self.collection_b2b_policy_id if kind == "b2b" else self.collection_b2c_policy_id
        return configured or self.env["recouvrement.policy"].search(
            [("company_id", "=", self.id), ("customer_kind", "=", kind)], limit=1
        )

    def _collection_place_date(self, date):
        """The company's city and ``date`` in the current language, for letters: "Lyon, le 3 mars 2026"."""
        self.ensure_one()
        text = format_date(self.env, date, date_format="d MMMM y")
        if date.day == 1 and (self.env.lang or "").startswith("fr"):
            text = "1er" + text[1:]
        return self.env._("%(city)s, %(date)s", city=self.city or "", date=text)

    def _collection_penalty_accounts(self):
        """(penalty account, indemnity account): the configured ones, else those of the French chart."""
        self.ensure_one()
        accounts = []
        for kind, configured in (
            ("penalty", self.collection_penalty_account_id),
            ("indemnity", self.collection_indemnity_account_id),
        ):
            account = configured or self.env["account.chart.template"].with_company(self).ref(
                FR_PENALTY_ACCOUNTS[kind], raise_if_not_found=False
            )
            if not account:
                raise UserError(
                    self.env._(
                        "Choose the income accounts of the penalties and of the recovery indemnity in "
                        "Accounting > Configuration > Settings > Debt Collection (company %(company)s).",
                        company=self.name,
                    )
                )
            accounts.append(account)
        return tuple(accounts)

    def _collection_doubtful_account(self, kind, raise_if_missing=True):
        """The account of ``kind`` (a key of FR_DOUBTFUL_ACCOUNTS): the configured one, else the French chart's."""
        self.ensure_one()
        field = "write_off" if kind == "write_off_year" else kind
        account = self[f"collection_{field}_account_id"] or self.env["account.chart.template"].with_company(self).ref(
            FR_DOUBTFUL_ACCOUNTS[kind], raise_if_not_found=False
        )
        if not account and raise_if_missing:
            raise UserError(
                self.env._(
                    "Choose the doubtful debt accounts in Accounting > Configuration > Settings > Debt Collection "
                    "(company %(company)s).",
                    company=self.name,
                )
            )
        return account

    def _collection_invoice_mention(self, partner):
        """The late-payment terms to print on an invoice to ``partner`` (L441-9), or ``""``: for business
        customers, when the company prints them."""
        self.ensure_one()
        partner = partner.commercial_partner_id.with_company(self)
        rule = partner._collection_penalty_rule(partner._collection_policy())
        if not self.collection_invoice_mention or not rule["b2b"]:
            return ""
        if rule["contract_rate"]:
            rate = self.env._("%(rate)s %% per year", rate=formatLang(self.env, rule["contract_rate"], digits=2))
        else:
            points = rule["ecb_points"]
            rate = self.env._(
                "the European Central Bank's main refinancing rate plus %(points)s points",
                points=formatLang(self.env, points, digits=0 if points == int(points) else 2),
            )
        indemnity = rule["indemnity"]
        return self.env._(
            "Late payment: penalties are due from the day after the due date, without any reminder, at %(rate)s "
            "(Code de commerce L441-10), plus a fixed indemnity for recovery costs of %(indemnity)s EUR per "
            "invoice (D441-5).",
            rate=rate,
            indemnity=formatLang(self.env, indemnity, digits=0 if indemnity == int(indemnity) else 2),
        )
