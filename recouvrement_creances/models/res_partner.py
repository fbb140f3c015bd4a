from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..tools import AGEING_BUCKETS, ageing_bucket, block_applies, days_between, next_level

# Fields a salesperson may read but only collection users may change.
COLLECTION_EDITABLE_FIELDS = {
    "collection_policy_id",
    "collection_user_id",
    "collection_contact_id",
    "collection_block_reason",
    "collection_block_until",
    "collection_penalty_rate",
    "collection_mode",
}
# The mandate of a collection agency and the credit insurance of a customer: written by collection managers only.
COLLECTION_MANAGER_FIELDS = {
    "collection_agency",
    "collection_agency_rate",
    "collection_agency_mandate_date",
    "collection_insurer_id",
    "collection_insurance_policy",
    "collection_insured_limit",
    "collection_insurance_cover",
    "collection_insurance_notice_days",
}


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "recouvrement.input.mixin"]

    collection_policy_id = fields.Many2one(
        "recouvrement.policy",
        company_dependent=True,
        help="Leave empty to use the company's default policy for businesses or individuals.",
    )
    collection_user_id = fields.Many2one(
        "res.users",
        string="Collector",
        company_dependent=True,
        help="Collector in charge of this debtor: gets its phone calls and letters.",
    )
    collection_contact_id = fields.Many2one(
        "res.partner",
        company_dependent=True,
        domain="[('id', 'child_of', commercial_partner_id), ('email', '!=', False)]",
        help="Who receives the reminders. Default: the invoicing address, else the customer itself.",
    )
    collection_block_reason = fields.Char(company_dependent=True)
    collection_block_until = fields.Date(
        string="Blocked Until",
        company_dependent=True,
        help="No follow-up for this customer up to this date (included).",
    )
    collection_penalty_rate = fields.Float(
        string="Contractual Penalty Rate (%)",
        digits=(7, 4),
        company_dependent=True,
        help="Late-payment penalty rate agreed with this customer, per year. It replaces the policy's rule and "
        "may not be below 3 × the legal interest rate. Empty: the policy's rule.",
    )
    # a collection agency the company mandates (CPCE R124-1 and following)
    collection_agency = fields.Boolean(copy=False)
    collection_agency_rate = fields.Float(
        string="Agency Commission (%)",
        groups="recouvrement_creances.group_recouvrement_manager",
        copy=False,  # a contact is duplicated by users who may not read it
        help="The commission agreed in the mandate, on what the agency recovers.",
    )
    collection_agency_mandate_date = fields.Date(
        string="Mandate Signed on", copy=False, help="The written mandate the agency acts under (CPCE R124-3)."
    )
    collection_action_ids = fields.One2many(
        "recouvrement.action",
        "partner_id",
        string="Collection Actions",
        groups="recouvrement_creances.group_recouvrement_agent",
    )
    collection_payment_plan_ids = fields.One2many(
        "recouvrement.payment.plan",
        "partner_id",
        string="Payment Plans",
        groups="recouvrement_creances.group_recouvrement_agent",
    )
    collection_case_ids = fields.One2many(
        "recouvrement.case",
        "partner_id",
        string="Contentious Cases",
        groups="recouvrement_creances.group_recouvrement_agent",
    )
    collection_promise_ids = fields.One2many(
        "recouvrement.promise",
        "partner_id",
        string="Promises to Pay",
        groups="recouvrement_creances.group_recouvrement_agent",
    )

    collection_amount_due = fields.Monetary(
        string="Total Due", compute="_compute_collection_status", currency_field="collection_currency_id"
    )
    collection_amount_overdue = fields.Monetary(
        string="Total Overdue", compute="_compute_collection_status", currency_field="collection_currency_id"
    )
    collection_currency_id = fields.Many2one("res.currency", compute="_compute_collection_status")
    collection_oldest_overdue_days = fields.Integer(
        string="Oldest Overdue (days)", compute="_compute_collection_status"
    )
    collection_level_id = fields.Many2one(
        "recouvrement.level",
        compute="_compute_collection_status",
        search="_search_collection_level_id",
    )
    collection_next_level_id = fields.Many2one(
        "recouvrement.level", string="Next Action", compute="_compute_collection_status"
    )
    collection_next_date = fields.Date(string="Next Action Date", compute="_compute_collection_status")
    collection_next_step = fields.Char(
        string="Next Step",
        compute="_compute_collection_status",
        help="The next reminder level, or what holds the debt instead (the stage of a contentious case).",
    )
    collection_portal_access_ids = fields.One2many(
        "recouvrement.portal.access",
        "partner_id",
        string="Debtor Portal Links",
        groups="recouvrement_creances.group_recouvrement_agent",
    )
    collection_action_count = fields.Integer(compute="_compute_collection_action_count")
    collection_user_is_manager = fields.Boolean(compute="_compute_collection_user_is_manager")
    collection_penalty_amount = fields.Monetary(
        string="Late-Payment Penalties to Date",
        compute="_compute_collection_penalties",
        currency_field="collection_currency_id",
    )
    collection_indemnity_amount = fields.Monetary(
        string="Recovery Indemnities",
        compute="_compute_collection_penalties",
        currency_field="collection_currency_id",
    )
    collection_penalty_to_invoice = fields.Monetary(
        string="Penalties Not Yet Invoiced",
        compute="_compute_collection_penalties",
        currency_field="collection_currency_id",
    )
    collection_penalty_error = fields.Char(string="Penalties Not Computed", compute="_compute_collection_penalties")

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    def _collection_open_item_domain(self):
        """Open receivable lines of these debtors' posted invoices in the current company."""
        return [("partner_id", "in", self.commercial_partner_id.ids), *self._collection_company_open_item_domain()]

    @api.model
    def _collection_company_open_item_domain(self):
        """Open receivable lines of posted customer invoices in the current company, whoever the debtor."""
        return [
            ("company_id", "=", self.env.company.id),
            ("parent_state", "=", "posted"),
            ("account_type", "=", "asset_receivable"),
            ("reconciled", "=", False),
            ("move_id.move_type", "=", "out_invoice"),
        ]

    @api.depends_context("company", "uid")
    def _compute_collection_status(self):
        today = fields.Date.context_today(self)
        Level = self.env["recouvrement.level"]
        rows = defaultdict(list)
        # One row per debtor, due date, level and exclusion: the form never loads the invoices one by one. What
        # collection holds back (a plan, a case, a dispute…) is due, but has no next step.
        # the invoices held back among the debtors' open ones: found from their open items (indexed by partner),
        # never by scanning the invoices
        open_moves = (
            self.env["account.move.line"]
            .sudo()
            ._search(self._collection_open_item_domain())
            .subselect(SQL.identifier("account_move_line", "move_id"))
        )
        held = self.env["account.move"]._collection_held_ids(today, [("id", "in", open_moves)])
        for held_back, operator in ((False, "not in"), (True, "in")):
            for partner, due, level, excluded, residual in (
                self.env["account.move.line"]
                .sudo()
                ._read_group(
                    [*self._collection_open_item_domain(), ("move_id", operator, held)],
                    ["partner_id", "date_maturity:day", "move_id.collection_level_id", "no_followup"],
                    ["amount_residual:sum"],
                )
            ):
                rows[partner].append((due, level, excluded or held_back, residual))
        policies = self.commercial_partner_id._collection_policies()
        for partner in self:
            debtor = partner.commercial_partner_id
            debts = rows.get(debtor, [])
            overdue = [(due, residual) for due, _level, _excluded, residual in debts if due and due < today]
            levels = Level.union(*(level for _due, level, _excluded, _residual in debts))
            next_level, next_date = min(
                self._collection_next_steps(policies[debtor], debts), key=lambda step: step[1], default=(False, False)
            )
            partner.collection_currency_id = self.env.company.currency_id
            partner.collection_amount_due = sum(residual for *_rest, residual in debts)
            partner.collection_amount_overdue = sum(residual for _due, residual in overdue)
            partner.collection_oldest_overdue_days = max((days_between(due, today) for due, _r in overdue), default=0)
            partner.collection_level_id = max(levels, key=lambda level: level.offset_days, default=Level)
            partner.collection_next_level_id = next_level
            partner.collection_next_date = next_date
            partner.collection_next_step = next_level.display_name if next_level else False

    @api.model
    def _collection_next_steps(self, policy, debts):
        """(level, date) of the next level of each group of open items that collection follows."""
        if not policy:
            return []
        levels = [(level.offset_days, level) for level in policy.level_ids]
        steps = []
        for due, current, excluded, _residual in debts:
            step = not excluded and due and next_level(levels, current.offset_days if current else None)
            if step:
                steps.append((step[1], fields.Date.add(due, days=step[0])))
        return steps

    @api.depends_context("company", "uid")
    def _compute_collection_penalties(self):
        """Totals of the debtors' late invoices, in the company's currency (converted on the day)."""
        today = fields.Date.context_today(self)
        company = self.env.company
        invoices = self._collection_penalty_invoices()
        figures = invoices._collection_penalty_figures(today)
        totals = defaultdict(lambda: defaultdict(float))
        for move, figure in figures.items():
            total = totals[move.commercial_partner_id]
            for key in ("accrued", "indemnity", "penalty", "indemnity_due"):
                total[key] += move.currency_id._convert(figure[key], company.currency_id, company, today)
            total["error"] = total["error"] or figure["error"]
        for partner in self:
            total = totals[partner.commercial_partner_id]
            partner.collection_penalty_amount = total["accrued"]
            partner.collection_indemnity_amount = total["indemnity"]
            partner.collection_penalty_to_invoice = total["penalty"] + total["indemnity_due"]
            partner.collection_penalty_error = total["error"] or False

    def _collection_penalty_rule(self, policy):
        """The penalty terms of this debtor under ``policy`` (its own contractual rate first): {b2b,
        contract_rate, ecb_points, indemnity (EUR), basis}. Without a policy, the law's defaults."""
        self.ensure_one()
        return {
            "b2b": (policy.customer_kind if policy else ("b2b" if self.is_company else "b2c")) == "b2b",
            "contract_rate": self.collection_penalty_rate
            or (policy.penalty_contract_rate if policy and policy.penalty_rate_rule == "contract" else 0.0),
            "ecb_points": policy.penalty_ecb_points if policy else 10.0,
            "indemnity": policy.penalty_indemnity if policy else 40.0,
            "basis": policy.penalty_day_basis if policy else "365",
        }

    def _collection_penalty_invoices(self):
        """The posted customer invoices of these debtors in the current company that may bear penalties: with
        a due date past, within the last five years (Code de commerce L110-4). Found through their receivable
        lines, which are indexed by debtor."""
        today = fields.Date.context_today(self)
        groups = self.env["account.move.line"]._read_group(
            [
                ("company_id", "=", self.env.company.id),
                ("partner_id", "in", self.commercial_partner_id.ids),
                ("account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
                ("move_id.move_type", "=", "out_invoice"),
                ("date_maturity", "<", today),
                ("date_maturity", ">=", fields.Date.subtract(today, years=5)),
            ],
            ["move_id"],
        )
        return self.env["account.move"].union(*(move for [move] in groups))

    def _collection_statement_values(self):
        """The statement of account of this debtor in the current company: its open items (credit notes and
        unallocated payments included), each in its ageing column, with the totals."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        lines = self.env["account.move.line"].search_fetch(
            [
                ("company_id", "=", self.env.company.id),
                ("partner_id", "=", self.commercial_partner_id.id),
                ("parent_state", "=", "posted"),
                ("account_type", "=", "asset_receivable"),
                ("reconciled", "=", False),
            ],
            ["move_name", "date", "date_maturity", "amount_residual"],
            order="date_maturity, id",
        )
        rows = [
            {
                "name": line.move_name,
                "date": line.date,
                "due": line.date_maturity,
                "amount": line.amount_residual,
                "bucket": ageing_bucket(days_between(line.date_maturity or line.date, today)),
            }
            for line in lines
        ]
        labels = {
            "not_due": self.env._("Not Due"),
            "1_30": self.env._("1–30 Days"),
            "31_60": self.env._("31–60 Days"),
            "61_90": self.env._("61–90 Days"),
            "over_90": self.env._("Over 90 Days"),
        }
        return {
            "date": today,
            "currency": self.env.company.currency_id,
            "rows": rows,
            "buckets": [(bucket, labels[bucket]) for bucket in AGEING_BUCKETS],
            "totals": {bucket: sum(r["amount"] for r in rows if r["bucket"] == bucket) for bucket in AGEING_BUCKETS},
            "total": sum(row["amount"] for row in rows),
        }

    @api.constrains("collection_penalty_rate")
    def _check_collection_penalty_rate(self):
        for partner in self.filtered("collection_penalty_rate"):
            self.env["recouvrement.rate"]._check_contract_rate(partner.collection_penalty_rate)

    def _search_collection_level_id(self, operator, value):
        moves = (
            self.env["account.move"]
            .sudo()
            ._search(
                [
                    ("company_id", "=", self.env.company.id),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                    ("collection_level_id", operator, value),
                ]
            )
        )
        return [("id", "in", moves.subselect("commercial_partner_id"))]

    @api.depends_context("uid")
    def _compute_collection_user_is_manager(self):
        """Whether the current user may write the agency and insurance settings (the form shows them read-only)."""
        self.collection_user_is_manager = self.env.user.has_group("recouvrement_creances.group_recouvrement_manager")

    def _compute_collection_action_count(self):
        counts = dict(
            self.env["recouvrement.action"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.collection_action_count = counts.get(partner.commercial_partner_id, 0)

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if (
            not self.env.su
            and any(vals.get(name) for vals in vals_list for name in COLLECTION_MANAGER_FIELDS)
            and not self.env.user.has_group("recouvrement_creances.group_recouvrement_manager")
        ):
            raise AccessError(
                self.env._("Only a collection manager may change a customer's collection agency or credit insurance.")
            )
        return super().create(vals_list)

    def write(self, vals):
        result = super(ResPartner, self._collection_writer(vals)).write(vals)
        if "credit_limit" in vals:
            self.env["recouvrement.credit.hold"]._sync_partners(self)
        return result

    def _collection_writer(self, vals):
        """Who writes ``vals`` on these partners, once checked that only collection users change their collection
        settings, and only collection managers the agency, the insurance and the contractual rate: the partners
        themselves, or the superuser when a collector sets only collection settings of customers they can read."""
        if self.env.su:
            return self
        self._input_check_vals(vals)  # a value that is not one is refused in French before it is compared
        managed = self._collection_settings_change(vals, COLLECTION_MANAGER_FIELDS | {"collection_penalty_rate"})
        if not managed and not self._collection_settings_change(vals):
            return self
        if not self.env.user.has_group("recouvrement_creances.group_recouvrement_agent"):
            raise AccessError(self.env._("Only collection users may change a customer's collection settings."))
        if managed and not self.env.user.has_group("recouvrement_creances.group_recouvrement_manager"):
            if "collection_penalty_rate" in vals:
                raise AccessError(
                    self.env._("Only a collection manager may set a customer's contractual penalty rate.")
                )
            raise AccessError(
                self.env._("Only a collection manager may change a customer's collection agency or credit insurance.")
            )
        if vals.keys() <= COLLECTION_EDITABLE_FIELDS | COLLECTION_MANAGER_FIELDS:
            self.check_access("read")
            return self.sudo()
        return self

    def _collection_settings_change(self, vals, names=COLLECTION_EDITABLE_FIELDS):
        """Whether ``vals`` really changes a collection setting (of ``names``) of these partners (merges and imports
        often write the same values back)."""
        for name in names & vals.keys():
            field = self._fields[name]
            for partner in self:
                if (
                    field.convert_to_record(field.convert_to_cache(vals[name], partner), partner)
                    != partner.sudo()[name]
                ):
                    return True
        return False

    def _collection_policy(self, defaults=None):
        """The policy that applies to this debtor in the current company.

        :param defaults: optional {'b2b': policy, 'b2c': policy} already looked up for the company
        """
        self.ensure_one()
        partner = self.commercial_partner_id
        kind = "b2b" if partner.is_company else "b2c"
        if partner.collection_policy_id:
            return partner.collection_policy_id
        return defaults[kind] if defaults else self.env.company._collection_default_policy(kind)

    def _collection_policies(self):
        """{partner: policy} for these debtors in the current company, looked up together."""
        defaults = {kind: self.env.company._collection_default_policy(kind) for kind in ("b2b", "b2c")}
        # only what the policy depends on: reading every field of thousands of customers costs seconds
        self.fetch(["commercial_partner_id", "is_company", "collection_policy_id"])
        self.commercial_partner_id.fetch(["is_company", "collection_policy_id"])
        return {partner: partner._collection_policy(defaults) for partner in self}

    def _collection_recipient(self):
        """Who receives the reminders: the collection contact, else the invoicing address, else the partner."""
        self.ensure_one()
        partner = self.commercial_partner_id
        if partner.collection_contact_id.email:
            return partner.collection_contact_id
        invoice_address = partner.child_ids.filtered(lambda c: c.type == "invoice" and c.email)[:1]
        return invoice_address or partner

    def _collection_is_blocked(self, on_date):
        self.ensure_one()
        partner = self.commercial_partner_id
        return block_applies(partner.collection_block_reason, partner.collection_block_until, on_date)

    def action_collection_run_now(self):
        """Propose and execute the due collection actions of these customers now ("Relancer maintenant")."""
        partners = self.commercial_partner_id
        run = self.env["recouvrement.run"].create(
            {"company_id": self.env.company.id, "partner_ids": [fields.Command.set(partners.ids)]}
        )
        run.action_propose_and_execute()
        return run._get_records_action(name=self.env._("Collection Run"))

    def action_collection_invoice_penalties(self):
        """Open *Invoice the Penalties* for this customer."""
        return self.env["recouvrement.penalty.wizard"]._get_records_action(
            name=self.env._("Invoice the Penalties"),
            target="new",
            context={"active_model": "res.partner", "active_ids": self.commercial_partner_id.ids},
        )

    def action_collection_open_case(self):
        """Hand this customer's open invoices over to a contentious case: those not in dispute, in an active
        payment plan or in a case already."""
        self.ensure_one()
        moves = self.env["account.move"].search(
            [
                ("company_id", "=", self.env.company.id),
                ("commercial_partner_id", "=", self.commercial_partner_id.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
                ("invoice_date_due", "<", fields.Date.context_today(self)),
                ("collection_dispute", "=", False),
                ("collection_case_id", "=", False),
                ("collection_payment_plan_ids", "not any", [("state", "=", "active")]),
            ]
        )
        if not moves:
            raise UserError(self.env._("This customer has no open invoice to hand over to a contentious case."))
        return moves.action_collection_open_case()

    def action_open_collection_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("recouvrement_creances.action_recouvrement_action")
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action
