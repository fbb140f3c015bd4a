from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date, formatLang

from ..tools.schedule import ScheduleError, build_schedule, due_dates


class RecouvrementPaymentPlanWizard(models.TransientModel):
    """Negotiate a payment plan: the amount, the down payment, the installments; the schedule is previewed
    before the plan is created."""

    _name = "recouvrement.payment.plan.wizard"
    _inherit = ["recouvrement.input.mixin"]
    _description = "Negotiate a Payment Plan"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True)
    move_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        required=True,
        check_company=True,
        domain="[('commercial_partner_id', '=', partner_id), ('move_type', '=', 'out_invoice'), "
        "('state', '=', 'posted'), ('payment_state', 'in', ('not_paid', 'partial'))]",
    )
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")
    amount = fields.Monetary(
        string="Amount to Schedule",
        compute="_compute_amount",
        store=True,
        readonly=False,
        help="By default, what the selected invoices still owe.",
    )
    down_payment = fields.Monetary(help="Paid at once, on the first due date, before the installments.")
    split = fields.Selection(
        [("count", "Number of Installments"), ("amount", "Installment Amount")], required=True, default="count"
    )
    installment_count = fields.Integer(string="Installments", default=3)
    installment_amount = fields.Monetary()
    frequency = fields.Selection(
        [("weekly", "Weekly"), ("monthly", "Monthly"), ("quarterly", "Quarterly")], required=True, default="monthly"
    )
    first_date = fields.Date(
        string="First Due Date",
        required=True,
        default=lambda self: fields.Date.add(fields.Date.context_today(self), months=1),
    )
    interest_rate = fields.Float(
        string="Interest Rate (%)", digits=(7, 4), help="Optional simple interest per year on the balance still owed."
    )
    settlement_discount = fields.Float(
        string="Early Settlement Discount (%)",
        digits=(5, 2),
        help="Instead of interest: a discount on the balance still owed if the debtor settles it in full by "
        "the deadline.",
    )
    settlement_deadline = fields.Date(string="Discount if Settled by")
    grace_days = fields.Integer(default=5)
    previous_plan_id = fields.Many2one("recouvrement.payment.plan", string="Replaces", readonly=True)
    # managers only: shown to them (view) and checked when the plan is activated
    waive_penalties = fields.Boolean(
        string="Waive the Penalties",
        help="Waive the penalties and indemnities accrued and not yet invoiced; they are due again if the plan "
        "breaks.",
    )
    preview = fields.Html(compute="_compute_preview", sanitize=False)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        model, ids = self.env.context.get("active_model"), self.env.context.get("active_ids") or []
        if model == "res.partner":
            partner = self.env["res.partner"].browse(ids).commercial_partner_id[:1]
            moves = self.env["account.move"].search(
                [
                    ("company_id", "=", self.env.company.id),
                    ("commercial_partner_id", "=", partner.id),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                    ("collection_payment_plan_ids", "not any", [("state", "=", "active")]),
                ]
            )
        elif model == "account.move":
            moves = self.env["account.move"].browse(ids)
            partner = moves.commercial_partner_id[:1]
        else:
            return values
        values.update(partner_id=partner.id, move_ids=[Command.set(moves.ids)])
        return values

    @api.model
    def _input_bounds(self):
        return {
            **super()._input_bounds(),
            "down_payment": (0, None),
            "installment_amount": (0, None),
            "interest_rate": (0, 100),
            "settlement_discount": (0, 100),
            "grace_days": (0, 3650),
        }

    @api.depends("move_ids")
    def _compute_currency_id(self):
        for wizard in self:
            wizard.currency_id = wizard.move_ids.currency_id[:1] or wizard.company_id.currency_id

    @api.depends("move_ids")
    def _compute_amount(self):
        for wizard in self:
            wizard.amount = sum(wizard.move_ids.mapped("amount_residual"))

    def _schedule(self):
        """[(due date, amount, interest)]: the down payment first, then the installments."""
        self.ensure_one()
        rounding = self.currency_id.rounding
        rest = self.currency_id.round(self.amount - self.down_payment)
        if self.down_payment < 0 or self.currency_id.compare_amounts(rest, 0) < 0:
            raise UserError(self.env._("The down payment must be between zero and the amount to schedule."))
        self._check_settlement_terms()
        down = [(self.first_date, self.down_payment, 0.0)] if self.down_payment else []
        if self.currency_id.is_zero(rest):
            return down
        # after a down payment, the installments start one period later
        first = due_dates(self.first_date, 2, self.frequency)[1] if down else self.first_date
        try:
            return down + build_schedule(
                rest,
                first,
                count=self.installment_count if self.split == "count" else None,
                amount=self.installment_amount if self.split == "amount" else None,
                frequency=self.frequency,
                annual_rate=self.interest_rate,
                rounding=rounding,
                start=fields.Date.context_today(self),
            )
        except ScheduleError as error:
            raise UserError(self._schedule_error(error.code)) from None

    def _check_settlement_terms(self):
        if not self.settlement_discount:
            return
        if self.interest_rate:
            raise UserError(self.env._("A plan bears interest or offers an early settlement discount, not both."))
        if not 0 < self.settlement_discount < 100:
            raise UserError(self.env._("The early settlement discount must be between 0 and 100 %."))
        if not self.settlement_deadline or self.settlement_deadline < fields.Date.context_today(self):
            raise UserError(self.env._("Give the date until which the early settlement discount is offered."))

    def _schedule_error(self, code):
        return {
            "total": self.env._("The amount to schedule must be more than zero."),
            "count": self.env._(
                "The number of installments must be at least 1, and not more than the amount in cents."
            ),
            "amount": self.env._("The installment amount must be more than zero."),
        }.get(code, self.env._("This schedule cannot be built."))

    @api.depends(
        "amount",
        "down_payment",
        "split",
        "installment_count",
        "installment_amount",
        "frequency",
        "first_date",
        "interest_rate",
        "settlement_discount",
        "settlement_deadline",
        "currency_id",
    )
    def _compute_preview(self):
        for wizard in self:
            try:
                schedule = wizard._schedule() if wizard.move_ids and wizard.first_date else []
            except UserError as error:
                wizard.preview = Markup('<p class="text-danger">%s</p>') % error.args[0]
                continue
            rows = Markup("").join(
                Markup("<tr><td>%s</td><td class='text-end'>%s</td><td class='text-end'>%s</td></tr>")
                % (format_date(self.env, day), wizard.currency_id.format(amount), wizard.currency_id.format(interest))
                for day, amount, interest in schedule
            )
            wizard.preview = Markup(
                "<table class='table table-sm'><thead><tr><th>%s</th><th class='text-end'>%s</th>"
                "<th class='text-end'>%s</th></tr></thead><tbody>%s</tbody></table>"
            ) % (self.env._("Due Date"), self.env._("Amount"), self.env._("Interest Included"), rows)
            if wizard.settlement_discount:
                wizard.preview += Markup("<p>%s</p>") % self.env._(
                    "Settled in full by %(date)s, the balance still owed is reduced by %(discount)s %%.",
                    date=format_date(self.env, wizard.settlement_deadline),
                    discount=formatLang(self.env, wizard.settlement_discount, digits=2),
                )

    def action_create_plan(self):
        """Create the plan (draft) with its schedule, and open it."""
        self.ensure_one()
        # a renegotiation may cover the invoices of the plan it replaces
        self.previous_plan_id._check_coverable(self.move_ids, self.amount, self.first_date)
        plan = self.env["recouvrement.payment.plan"].create(self._plan_values(self._schedule()))
        return plan._get_records_action(name=self.env._("Payment Plan"))

    def _plan_values(self, schedule):
        """The values of the plan negotiated, with its installments ``schedule``."""
        self.ensure_one()
        return {
            "company_id": self.company_id.id,
            "partner_id": self.partner_id.commercial_partner_id.id,
            "currency_id": self.currency_id.id,
            "move_ids": [Command.set(self.move_ids.ids)],
            "frequency": self.frequency,
            "interest_rate": self.interest_rate,
            "settlement_discount": self.settlement_discount,
            "settlement_deadline": self.settlement_deadline if self.settlement_discount else False,
            "previous_plan_id": self.previous_plan_id.id,
            "grace_days": self.grace_days,
            "amount_covered": sum(self.move_ids.mapped("amount_residual")),
            "waive_penalties": self.waive_penalties,
            "line_ids": [
                Command.create({"date_due": day, "amount": amount, "interest": interest})
                for day, amount, interest in schedule
            ],
        }
