from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class ResPartner(models.Model):
    """Prevention: the credit insurance of a customer, its credit limit and credit holds, its solvency file and
    risk class."""

    _inherit = "res.partner"

    # credit insurance of this customer, per company
    collection_insurer_id = fields.Many2one(
        "res.partner",
        string="Credit Insurer",
        company_dependent=True,
        copy=False,
        help="Who insures the credit granted.",
    )
    collection_insurance_policy = fields.Char(string="Insurance Policy", company_dependent=True, copy=False)
    collection_insured_limit = fields.Float(
        string="Approved Limit",
        company_dependent=True,
        copy=False,
        help="The credit limit the insurer approved for this customer (agrément), in the company's currency.",
    )
    collection_insurance_cover = fields.Float(
        string="Cover (%)",
        company_dependent=True,
        copy=False,
        help="Share of an approved loss the insurer indemnifies.",
    )
    collection_insurance_notice_days = fields.Integer(
        string="Notice Deadline (days)",
        company_dependent=True,
        copy=False,
        help="Days after the due date by which an unpaid insured invoice must be declared to the insurer.",
    )
    collection_credit_hold = fields.Boolean(string="Credit Hold", compute="_compute_collection_hold")
    collection_hold_reason = fields.Char(string="Held Because", compute="_compute_collection_hold")
    collection_hold_ids = fields.One2many(
        "recouvrement.credit.hold",
        "partner_id",
        string="Credit Holds",
        groups="recouvrement_creances.group_recouvrement_agent",
    )
    collection_solvency_ids = fields.One2many(
        "recouvrement.solvency",
        "partner_id",
        string="Solvency Files",
        groups="recouvrement_creances.group_recouvrement_agent",
    )
    collection_score = fields.Integer(string="Payment Score", compute="_compute_collection_risk")
    collection_risk_class_id = fields.Many2one(
        "recouvrement.risk.class", string="Risk Class", compute="_compute_collection_risk"
    )

    @api.depends_context("company", "uid")
    def _compute_collection_hold(self):
        causes = self._collection_hold_causes()
        for partner in self:
            details = causes[partner.commercial_partner_id]
            partner.collection_credit_hold = bool(details)
            partner.collection_hold_reason = "; ".join(details.values()) or False

    @api.depends_context("company")
    def _compute_collection_risk(self):
        files = {
            solvency.partner_id: solvency
            for solvency in self.env["recouvrement.solvency"]
            .sudo()
            .search([("company_id", "=", self.env.company.id), ("partner_id", "in", self.commercial_partner_id.ids)])
        }
        for partner in self:
            solvency = files.get(partner.commercial_partner_id)
            partner.collection_score = solvency.score if solvency else 0
            partner.collection_risk_class_id = solvency.risk_class_id if solvency else False

    def _collection_hold_causes(self, extra=None):
        """{commercial partner: {cause: what it says}} of the credit holds that apply to these customers in the
        current company now: set by hand, from a collection level, or from the credit limit.

        :param extra: optional {commercial partner: amount} about to be invoiced, counted against the limit
        """
        company = self.env.company
        debtors = self.commercial_partner_id
        causes = defaultdict(dict)
        for hold in self.env["recouvrement.credit.hold"].sudo()._open_holds(debtors, manual=True):
            causes[hold.partner_id]["manual"] = self.env._("Held by hand: %s", hold.reason)
        for partner, level in (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                [*debtors._collection_open_item_domain(), ("move_id.collection_level_id.credit_hold", "=", True)],
                ["partner_id", "move_id.collection_level_id"],
            )
        ):
            causes[partner]["level"] = self.env._("Collection level %s reached", level.name)
        if company.collection_hold_on_limit and company.account_use_credit_limit:
            extra = extra or {}
            debtors.invalidate_recordset(["credit"])  # computed without dependencies: read it afresh
            for partner in debtors.sudo().with_company(company):
                exposure = partner.credit + extra.get(partner, 0.0)
                if partner.credit_limit > 0 and company.currency_id.compare_amounts(exposure, partner.credit_limit) > 0:
                    causes[partner]["limit"] = self.env._(
                        "Credit limit of %(limit)s exceeded (%(exposure)s)",
                        limit=company.currency_id.format(partner.credit_limit),
                        exposure=company.currency_id.format(exposure),
                    )
        return causes

    def _collection_check_new_credit(self, amounts, refusal):
        """The credit-hold check of new credit to these customers in the current company (an invoice posted, an
        order confirmed): only a collection manager goes past a hold.

        :param amounts: {commercial partner: amount about to be owed, in the company's currency}, counted against
            the credit limit
        :param refusal: function(customer, causes) -> the message that refuses the new credit to ``customer``
        :return: {commercial partner: its causes, in one sentence} of the holds a collection manager went past
        """
        causes = {
            partner: "; ".join(details.values())
            for partner, details in self._collection_hold_causes(amounts).items()
            if details
        }
        if causes and not self.env.user.has_group("recouvrement_creances.group_recouvrement_manager"):
            customer, why = next(iter(causes.items()))
            raise UserError(refusal(customer, why))
        return causes

    @api.constrains("credit_limit")
    def _check_collection_credit_limit(self):
        if any(partner.sudo().credit_limit < 0 for partner in self):
            raise ValidationError(self.env._("A credit limit cannot be negative."))

    def action_collection_hold(self):
        """Put this customer on credit hold by hand: the hold's form asks why."""
        self.ensure_one()
        return self.env["recouvrement.credit.hold"]._get_records_action(
            name=self.env._("Put on Credit Hold"),
            views=[(self.env.ref("recouvrement_creances.recouvrement_credit_hold_view_form_new").id, "form")],
            target="new",
            context={"default_partner_id": self.commercial_partner_id.id, "default_cause": "manual"},
        )

    def action_collection_release_hold(self):
        """Release the holds set by hand on this customer."""
        return (
            self.env["recouvrement.credit.hold"]._open_holds(self.commercial_partner_id, manual=True).action_release()
        )

    def action_collection_solvency(self):
        """Open this customer's solvency file in the current company, created if need be."""
        self.ensure_one()
        solvency = self.env["recouvrement.solvency"]._files_of(self.commercial_partner_id)
        return solvency._get_records_action(name=self.env._("Solvency File"))
