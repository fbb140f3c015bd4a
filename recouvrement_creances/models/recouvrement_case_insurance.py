from odoo import api, fields, models
from odoo.exceptions import UserError


class RecouvrementCase(models.Model):
    """Credit insurance of a case: the insurer, the claim filed and the indemnities received."""

    _inherit = "recouvrement.case"

    insurer_id = fields.Many2one(
        "res.partner", string="Credit Insurer", compute="_compute_insurer_id", store=True, readonly=False
    )
    insurer_claim_date = fields.Date(string="Claim Filed on", tracking=True, copy=False)
    insurer_claim_amount = fields.Monetary(
        string="Amount Claimed from the Insurer",
        tracking=True,
        copy=False,
        help="The loss declared to the insurer: the principal owed, within the approved limit.",
    )
    insurer_cover = fields.Float(string="Cover (%)", compute="_compute_insurer_id", store=True, readonly=False)
    insurer_expected = fields.Monetary(string="Expected Indemnity", compute="_compute_insurer_amounts")
    insurer_payment_ids = fields.Many2many(
        "account.payment",
        "recouvrement_case_insurer_payment_rel",
        "case_id",
        "payment_id",
        string="Indemnities Received",
        readonly=True,
        copy=False,
    )
    insurer_indemnity = fields.Monetary(string="Indemnity Received", compute="_compute_insurer_amounts")
    uninsured_amount = fields.Monetary(
        string="Left to Collect",
        compute="_compute_insurer_amounts",
        help="What the invoices still owe: the part the insurer does not cover stays ours to collect.",
    )

    @api.depends("partner_id", "company_id")
    def _compute_insurer_id(self):
        for case in self:
            partner = case.partner_id.with_company(case.company_id)
            case.insurer_id = partner.collection_insurer_id
            case.insurer_cover = partner.collection_insurance_cover

    @api.depends("insurer_claim_amount", "insurer_cover", "insurer_payment_ids.amount", "move_ids.amount_residual")
    def _compute_insurer_amounts(self):
        for case in self:
            case.insurer_expected = case.currency_id.round(case.insurer_claim_amount * case.insurer_cover / 100)
            case.insurer_indemnity = sum(
                case.insurer_payment_ids.filtered(lambda p: p.state != "canceled").mapped("amount")
            )
            case.uninsured_amount = sum(case.move_ids.mapped("amount_residual"))

    def action_file_insurer_claim(self):
        """Declare the loss to the insurer: the principal still owed, within the approved limit."""
        self.ensure_one()
        if not self.insurer_id:
            raise UserError(self.env._("This customer has no credit insurer: set it on the customer first."))
        limit = self.partner_id.with_company(self.company_id).collection_insured_limit
        owed = sum(self.move_ids.mapped("amount_residual"))
        limit = self.company_id.currency_id._convert(limit, self.currency_id, self.company_id, self.date_open)
        self.write(
            {
                "case_type": "insurer",
                "insurer_claim_date": fields.Date.context_today(self),
                "insurer_claim_amount": self.currency_id.round(min(owed, limit) if limit else owed),
            }
        )
        return True

    def _book_insurer_indemnity(self, amount, on_date, journal):
        """Book the insurer's indemnity as a payment received from the insurer, reconciled with the invoices:
        the insured part is settled, the rest stays ours to collect."""
        self.ensure_one()
        if self.currency_id.compare_amounts(amount, 0) <= 0:
            raise UserError(self.env._("The indemnity must be more than zero."))
        if self.currency_id.compare_amounts(amount, sum(self.move_ids.mapped("amount_residual"))) > 0:
            raise UserError(self.env._("The indemnity is more than what the invoices of the case still owe."))
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.insurer_id.id,
                "amount": amount,
                "currency_id": self.currency_id.id,
                "date": on_date,
                "journal_id": journal.id,
                "memo": self.env._("Credit insurance indemnity, case %(case)s", case=self.name),
            }
        )
        payment.action_post()
        receivable = payment.move_id.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        (receivable | self.move_ids.line_ids).filtered(
            lambda line: line.account_id == receivable.account_id and not line.reconciled
        ).reconcile()
        self.insurer_payment_ids = [fields.Command.link(payment.id)]
        self.message_post(
            body=self.env._(
                "Indemnity of %(amount)s received from %(insurer)s: %(left)s is left to collect.",
                amount=self.currency_id.format(amount),
                insurer=self.insurer_id.name,
                left=self.currency_id.format(self.uninsured_amount),
            )
        )
        return payment
