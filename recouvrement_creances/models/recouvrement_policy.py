from collections import defaultdict
from itertools import pairwise

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class RecouvrementPolicy(models.Model):
    _name = "recouvrement.policy"
    _inherit = ["recouvrement.input.mixin"]
    _description = "Collection Policy"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    customer_kind = fields.Selection(
        [("b2b", "Businesses"), ("b2c", "Individuals")],
        string="Customers",
        required=True,
        default="b2b",
        help="Default policy for customers of this kind that have no policy of their own.",
    )
    level_ids = fields.One2many("recouvrement.level", "policy_id", string="Levels", copy=True)
    minimum_amount = fields.Monetary(
        currency_field="currency_id",
        help="A debtor whose net amount due is below this amount is not followed up.",
    )
    partner_count = fields.Integer(compute="_compute_partner_count", string="Customers with this policy")
    # Late-payment penalties (Code de commerce L441-10, D441-5; Code civil 1231-6 for individuals)
    penalty_rate_rule = fields.Selection(
        [("ecb", "ECB Rate + Points"), ("contract", "Contractual Rate")],
        string="Penalty Rate",
        required=True,
        default="ecb",
        help="Businesses: the ECB rate in force on 1 January / 1 July plus points (10 by law when the terms "
        "say nothing), or a contractual rate, never below 3 × the legal interest rate. Individuals owe the "
        "legal interest rate from the formal notice instead.",
    )
    penalty_ecb_points = fields.Float(string="Points above the ECB Rate", digits=(6, 2), default=10.0)
    penalty_contract_rate = fields.Float(string="Contractual Rate (%)", digits=(7, 4))
    penalty_indemnity = fields.Float(
        string="Recovery Indemnity (EUR)",
        digits=(16, 2),
        default=40.0,
        help="Fixed indemnity for recovery costs owed by a late business per invoice (D441-5): 40 EUR, not less. "
        "Never charged to individuals.",
    )
    penalty_day_basis = fields.Selection(
        [("365", "365 Days"), ("actual", "Actual Days of the Year")],
        string="Day Basis",
        required=True,
        default="365",
        help="365 days: each day of delay is 1/365 of the yearly rate. Actual: a day of a leap year is 1/366.",
    )
    # Debtor portal: a plan proposed within these limits is accepted at once, beyond them it awaits a collector
    portal_plan_max_installments = fields.Integer(
        string="Most Installments",
        default=6,
        help="Installments a debtor may propose on the portal, down payment included.",
    )
    portal_plan_min_down_payment = fields.Float(
        string="Least Down Payment (%)", digits=(5, 2), default=10.0, help="Share of the amount paid at once."
    )
    portal_plan_max_months = fields.Integer(
        string="Longest Duration (months)", default=6, help="From today to the last installment."
    )
    portal_plan_min_amount = fields.Monetary(string="Least Installment", currency_field="currency_id", default=100.0)
    portal_promise_days = fields.Integer(
        string="Promise within (days)", default=30, help="How far ahead a debtor may promise to pay on the portal."
    )

    @api.constrains("level_ids")
    def _check_level_offsets(self):
        for policy in self:
            offsets = policy.level_ids.sorted(lambda level: (level.sequence, level.id)).mapped("offset_days")
            if any(later <= earlier for earlier, later in pairwise(offsets)):
                raise ValidationError(
                    self.env._(
                        "The levels of the policy “%(policy)s” must have strictly increasing day offsets in their "
                        "order (found: %(offsets)s).",
                        policy=policy.name,
                        offsets=", ".join(str(offset) for offset in offsets),
                    )
                )

    @api.constrains(
        "portal_plan_max_installments",
        "portal_plan_min_down_payment",
        "portal_plan_max_months",
        "portal_plan_min_amount",
        "portal_promise_days",
    )
    def _check_portal_limits(self):
        for policy in self:
            if (
                policy.portal_plan_max_installments < 1
                or policy.portal_plan_max_months < 1
                or policy.portal_promise_days < 1
                or policy.portal_plan_min_amount < 0
                or not 0 <= policy.portal_plan_min_down_payment < 100
            ):
                raise ValidationError(
                    self.env._(
                        "The portal limits of the policy “%s” are out of range: at least one installment, one month "
                        "and one day for promises, a least installment not below zero and a down payment from 0 "
                        "to less than 100 %%.",
                        policy.name,
                    )
                )

    @api.constrains("penalty_rate_rule", "penalty_contract_rate", "penalty_indemnity", "penalty_ecb_points")
    def _check_penalty_terms(self):
        for policy in self:
            if policy.penalty_indemnity < 40:
                raise ValidationError(
                    self.env._("The recovery indemnity is 40 EUR at least (Code de commerce D441-5).")
                )
            if policy.penalty_ecb_points < 0:
                raise ValidationError(self.env._("The points added to the ECB rate cannot be negative."))
            if policy.penalty_rate_rule == "contract":
                self.env["recouvrement.rate"]._check_contract_rate(policy.penalty_contract_rate)

    @api.model
    def _input_bounds(self):
        return {
            **super()._input_bounds(),
            "minimum_amount": (0, None),
            "penalty_ecb_points": (0, 100),
            "penalty_contract_rate": (0, 100),
            "portal_plan_max_installments": (1, 120),
            "portal_plan_min_down_payment": (0, 100),
            "portal_plan_max_months": (1, 120),
            "portal_plan_min_amount": (0, None),
            "portal_promise_days": (1, 3650),
        }

    def write(self, vals):
        result = super().write(vals)
        if {"customer_kind", "company_id"} & vals.keys():
            # a company's default policy stays one of its own, of the right kind
            self.env["res.company"].sudo().search(
                ["|", ("collection_b2b_policy_id", "in", self.ids), ("collection_b2c_policy_id", "in", self.ids)]
            )._check_recouvrement_default_policies()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_in_use(self):
        uses = self._collection_uses()
        for policy in self.filtered(lambda policy: uses.get(policy.id)):
            raise UserError(
                self.env._(
                    "The policy “%(policy)s” is in use (%(uses)s): choose another policy there before deleting it.",
                    policy=policy.name,
                    uses="; ".join(uses[policy.id]),
                )
            )

    def _collection_uses(self):
        """{policy id: [what uses it]}: the companies it is the default policy of (configured, or the first of its
        kind), and the customers it is set on."""
        uses = defaultdict(list)
        for company in self.sudo().company_id:
            for kind in ("b2b", "b2c"):
                default = company._collection_default_policy(kind)
                if default in self:
                    label = (
                        self.env._("default policy for businesses of %(company)s", company=company.name)
                        if kind == "b2b"
                        else self.env._("default policy for individuals of %(company)s", company=company.name)
                    )
                    uses[default.id].append(label)
            for policy, count in (
                self.env["res.partner"]
                .sudo()
                .with_company(company)
                ._read_group([("collection_policy_id", "in", self.ids)], ["collection_policy_id"], ["__count"])
            ):
                uses[policy.id].append(self.env._("set on %(count)s customer(s)", count=count))
        return uses

    def _check_levels_in_use(self, removed_levels=None):
        """Refuse to leave a policy in use without any level (``removed_levels`` are being deleted)."""
        removed = removed_levels or self.env["recouvrement.level"]
        empty = self.filtered(lambda policy: not policy.level_ids - removed)
        uses = empty._collection_uses()
        for policy in empty.filtered(lambda policy: uses.get(policy.id)):
            raise ValidationError(
                self.env._(
                    "The policy “%(policy)s” is in use (%(uses)s): it keeps at least one level.",
                    policy=policy.name,
                    uses="; ".join(uses[policy.id]),
                )
            )

    def _compute_partner_count(self):
        """The customers this policy applies to in its company: those it is set on, and those who have it by
        default (no policy of their own, of its kind)."""
        self.partner_count = 0
        for company in self.company_id:
            policies = self.filtered(lambda policy, company=company: policy.company_id == company)
            Partner = self.env["res.partner"].with_company(company)
            counts = dict(
                Partner._read_group(
                    [("collection_policy_id", "in", policies.ids)], ["collection_policy_id"], ["__count"]
                )
            )
            by_kind = dict(Partner._read_group(self._default_customers_domain(company), ["is_company"], ["__count"]))
            for kind in ("b2b", "b2c"):
                default = company._collection_default_policy(kind)
                if default in policies:
                    counts[default] = counts.get(default, 0) + by_kind.get(kind == "b2b", 0)
            for policy in policies:
                policy.partner_count = counts.get(policy, 0)

    @api.model
    def _default_customers_domain(self, company):
        """The customers of ``company`` who have no policy of their own: they get its default policy of their
        kind (read in ``company``, the policy being company-dependent)."""
        return [
            ("parent_id", "=", False),
            ("customer_rank", ">", 0),
            ("collection_policy_id", "=", False),
            ("company_id", "in", [False, company.id]),
        ]

    def _sorted_levels(self):
        self.ensure_one()
        return self.level_ids.sorted("offset_days")
