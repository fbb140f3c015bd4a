from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date, formatLang


class RecouvrementPenalty(models.Model):
    """The penalties and indemnity of one late invoice for one period, invoiced or waived.

    What was charged is never charged again: a later invoicing starts the day after ``date_to`` and the
    indemnity is charged once. Cancelling the penalty invoice makes its charges void, and their amounts
    chargeable again."""

    _name = "recouvrement.penalty"
    _inherit = ["recouvrement.input.mixin"]
    _description = "Late-Payment Penalties Charged"
    _order = "date_to desc, id desc"
    _check_company_auto = True
    _rec_name = "move_id"

    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True, index=True)
    move_id = fields.Many2one(
        "account.move",
        string="Late Invoice",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    date_from = fields.Date(string="Penalties From", readonly=True)
    date_to = fields.Date(string="Penalties Until", required=True, readonly=True)
    rates = fields.Char(readonly=True)
    penalty_amount = fields.Monetary(string="Penalties", readonly=True)
    penalty_waived = fields.Monetary(string="Penalties Waived", readonly=True)
    indemnity_amount = fields.Monetary(string="Indemnity", readonly=True)
    indemnity_waived = fields.Monetary(readonly=True)
    waiver_reason = fields.Char(readonly=True)
    amount_charged = fields.Monetary(compute="_compute_amount_charged", string="Invoiced")
    invoice_id = fields.Many2one(
        "account.move",
        string="Penalty Invoice",
        readonly=True,
        index="btree_not_null",
        ondelete="cascade",
        check_company=True,
    )
    payment_plan_id = fields.Many2one(
        "recouvrement.payment.plan",
        string="Waived under the Plan",
        readonly=True,
        index="btree_not_null",
        ondelete="cascade",
        check_company=True,
    )
    state = fields.Selection(
        [("invoiced", "Invoiced"), ("waived", "Waived"), ("cancelled", "Cancelled")],
        compute="_compute_state",
        store=True,
        help="Cancelled: its penalty invoice was cancelled, or the payment plan it was waived under was broken, "
        "so these amounts may be charged again.",
    )

    @api.depends("penalty_amount", "penalty_waived", "indemnity_amount", "indemnity_waived")
    def _compute_amount_charged(self):
        for charge in self:
            charge.amount_charged = (
                charge.penalty_amount - charge.penalty_waived + charge.indemnity_amount - charge.indemnity_waived
            )

    @api.depends(
        "invoice_id.state", "invoice_id.payment_state", "payment_plan_id.state", "payment_plan_id.restore_penalties"
    )
    def _compute_state(self):
        for charge in self:
            plan = charge.payment_plan_id
            voided = charge.invoice_id.state == "cancel" or charge.invoice_id.payment_state == "reversed"
            if voided or (plan.state in ("broken", "cancelled") and plan.restore_penalties):
                charge.state = "cancelled"
            else:
                charge.state = "invoiced" if charge.invoice_id else "waived"

    @api.model
    def _input_bounds(self):
        return {
            **super()._input_bounds(),
            "penalty_amount": (0, None),
            "penalty_waived": (0, None),
            "indemnity_amount": (0, None),
            "indemnity_waived": (0, None),
        }

    @api.constrains("penalty_amount", "penalty_waived", "indemnity_amount", "indemnity_waived", "date_from", "date_to")
    def _check_amounts(self):
        for charge in self:
            currency = charge.currency_id
            if (
                currency.compare_amounts(charge.penalty_waived, charge.penalty_amount) > 0
                or currency.compare_amounts(charge.indemnity_waived, charge.indemnity_amount) > 0
            ):
                raise ValidationError(
                    self.env._(
                        "%(invoice)s: what is waived must be between zero and the amount owed.",
                        invoice=charge.move_id.display_name,
                    )
                )
            if charge.date_from and charge.date_from > charge.date_to:
                raise ValidationError(
                    self.env._(
                        "%(invoice)s: the penalties run from %(date_from)s, after the day they are counted to "
                        "(%(date_to)s).",
                        invoice=charge.move_id.display_name,
                        date_from=format_date(self.env, charge.date_from),
                        date_to=format_date(self.env, charge.date_to),
                    )
                )

    def _log_waivers(self):
        """Log each waiver of these charges on its late invoice and on the customer, with its reason."""
        charges = self.filtered(lambda charge: charge.penalty_waived or charge.indemnity_waived)
        bodies = {
            charge.move_id.id: Markup("<p>%s</p>")
            % self.env._(
                "Penalties waived on %(invoice)s: %(penalty)s of penalties and %(indemnity)s of indemnity. "
                "Reason: %(reason)s",
                invoice=charge.move_id.name,
                penalty=formatLang(self.env, charge.penalty_waived, currency_obj=charge.currency_id),
                indemnity=formatLang(self.env, charge.indemnity_waived, currency_obj=charge.currency_id),
                reason=charge.waiver_reason,
            )
            for charge in charges
        }
        if bodies:
            charges.move_id.with_context(collection_evidence=True)._message_log_batch(bodies=bodies)
            for partner, partner_charges in charges.grouped("partner_id").items():
                partner.with_context(collection_evidence=True)._message_log(
                    body=Markup("").join(bodies[move.id] for move in partner_charges.move_id)
                )
