from odoo import api, fields, models
from odoo.exceptions import ValidationError


class RecouvrementPaymentPlanLine(models.Model):
    """One installment. What is paid on it is never typed: the plan's payments are allocated to the
    installments oldest first."""

    _name = "recouvrement.payment.plan.line"
    _inherit = ["recouvrement.input.mixin"]
    _description = "Payment Plan Installment"
    _order = "plan_id, date_due, id"

    plan_id = fields.Many2one("recouvrement.payment.plan", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    partner_id = fields.Many2one(related="plan_id.partner_id", store=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    date_due = fields.Date(string="Due Date", required=True)
    amount = fields.Monetary(required=True)
    interest = fields.Monetary(string="Interest Included")
    amount_paid = fields.Monetary(compute="_compute_amount_paid", store=True)
    reminder_sent = fields.Boolean(readonly=True, copy=False)
    is_paid = fields.Boolean(compute="_compute_amount_paid", store=True)
    state = fields.Selection(
        [
            ("to_pay", "To Pay"),
            ("partial", "Partly Paid"),
            ("paid", "Paid"),
            ("late", "Late"),
            ("missed", "Missed"),
        ],
        compute="_compute_state",
    )

    @api.depends("amount", "plan_id.amount_paid", "plan_id.line_ids.amount", "plan_id.line_ids.date_due")
    def _compute_amount_paid(self):
        for plan in self.plan_id:
            left = plan.amount_paid
            for line in plan.line_ids.sorted(lambda line: (line.date_due, line.id)):
                line.amount_paid = min(line.amount, left)
                line.is_paid = plan.currency_id.compare_amounts(line.amount_paid, line.amount) >= 0
                left = plan.currency_id.round(left - line.amount_paid)

    @api.depends("amount_paid", "is_paid", "date_due", "plan_id.grace_days")
    @api.depends_context("date")
    def _compute_state(self):
        today = self.env.context.get("date") or fields.Date.context_today(self)
        for line in self:
            if line.is_paid:
                line.state = "paid"
            elif line._is_missed(today):
                line.state = "missed"
            elif line.date_due < today:
                line.state = "late"
            else:
                line.state = "partial" if line.amount_paid else "to_pay"

    @api.depends("partner_id", "amount", "currency_id")
    def _compute_display_name(self):
        for line in self:
            amount = line.currency_id.format(line.amount) if line.currency_id else ""
            line.display_name = f"{line.partner_id.name or ''} – {amount}"

    @api.model
    def _input_bounds(self):
        return {**super()._input_bounds(), "interest": (0, None)}

    @api.constrains("amount", "interest")
    def _check_amount(self):
        for line in self:
            currency = line.currency_id
            if currency.compare_amounts(line.amount, 0) <= 0:
                raise ValidationError(
                    self.env._(
                        "%(record)s: an installment is more than zero (%(amount)s).",
                        record=line.plan_id._input_record_label(),
                        amount=currency.format(line.amount),
                    )
                )
            if currency.compare_amounts(line.interest, line.amount) > 0:
                raise ValidationError(
                    self.env._(
                        "%(record)s: the interest included (%(interest)s) is more than the installment (%(amount)s).",
                        record=line.plan_id._input_record_label(),
                        interest=currency.format(line.interest),
                        amount=currency.format(line.amount),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.plan_id._check_schedule_editable()
        return lines

    def write(self, vals):
        if {"date_due", "amount", "interest", "plan_id"} & vals.keys():
            self.plan_id._check_schedule_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_if_schedule_editable(self):
        self.plan_id._check_schedule_editable()

    def _is_missed(self, on_date):
        """Unpaid after its due date and the plan's grace days."""
        self.ensure_one()
        return not self.is_paid and fields.Date.add(self.date_due, days=self.plan_id.grace_days) < on_date
