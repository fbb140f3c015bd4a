from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_date, formatLang

# The product's moves of a plan; nothing else moves it.
PLAN_TRANSITIONS = {
    "draft": {"proposed", "active", "cancelled"},
    "proposed": {"active", "cancelled"},
    "active": {"completed", "broken", "cancelled", "suspended"},
    "suspended": {"active", "cancelled"},
    "completed": set(),
    "broken": set(),
    "cancelled": set(),
}


class RecouvrementPaymentPlan(models.Model):
    """An échéancier: a debtor pays some of its invoices in installments. The payments are the normal
    reconciliations of those invoices; the installments' paid amounts follow from them, oldest first."""

    _name = "recouvrement.payment.plan"
    _description = "Payment Plan"
    _inherit = ["mail.thread", "mail.activity.mixin", "recouvrement.input.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company, index=True
    )
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True, index=True)
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    move_ids = fields.Many2many(
        "account.move",
        "recouvrement_payment_plan_move_rel",
        "plan_id",
        "move_id",
        string="Invoices Covered",
        readonly=True,
        check_company=True,
    )
    date = fields.Date(string="Agreed on", required=True, readonly=True, default=fields.Date.context_today)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("proposed", "Proposed"),
            ("active", "Active"),
            ("completed", "Completed"),
            ("broken", "Broken"),
            ("suspended", "Suspended"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    frequency = fields.Selection(
        [("weekly", "Weekly"), ("monthly", "Monthly"), ("quarterly", "Quarterly")],
        required=True,
        readonly=True,
        default="monthly",
    )
    interest_rate = fields.Float(string="Interest Rate (%)", digits=(7, 4), readonly=True)
    settlement_discount = fields.Float(
        string="Early Settlement Discount (%)",
        digits=(5, 2),
        readonly=True,
        help="Granted on the balance still owed if the debtor settles it in full by the deadline.",
    )
    settlement_deadline = fields.Date(string="Discount if Settled by", readonly=True)
    settlement_credit_note_id = fields.Many2one(
        "account.move", string="Discount Credit Note", readonly=True, copy=False
    )
    previous_plan_id = fields.Many2one(
        "recouvrement.payment.plan",
        string="Replaces",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The plan this one renegotiated: it is cancelled when this one is activated.",
    )
    grace_days = fields.Integer(
        default=5, help="Days after its due date before an unpaid installment counts as missed and breaks the plan."
    )
    reminder_days = fields.Integer(
        string="Reminder (days before)",
        default=3,
        help="An email reminds the debtor of each installment this many days before it is due.",
    )
    line_ids = fields.One2many("recouvrement.payment.plan.line", "plan_id", string="Installments", readonly=True)
    next_line_id = fields.Many2one("recouvrement.payment.plan.line", compute="_compute_next_line_id")
    recipient_id = fields.Many2one("res.partner", compute="_compute_recipient_id")
    amount_covered = fields.Monetary(
        readonly=True, help="What the covered invoices still owed when the plan was agreed."
    )
    amount_total = fields.Monetary(string="Total Scheduled", compute="_compute_amounts", store=True)
    amount_paid = fields.Monetary(compute="_compute_amounts", store=True)
    amount_residual = fields.Monetary(string="Still Owed", compute="_compute_amounts", store=True)
    progress = fields.Float(compute="_compute_amounts", store=True)
    portal_proposed = fields.Boolean(
        string="Proposed on the Portal", readonly=True, copy=False, help="The debtor proposed this plan online."
    )
    penalty_ids = fields.One2many("recouvrement.penalty", "payment_plan_id", string="Penalties Waived", readonly=True)
    interest_invoice_id = fields.Many2one("account.move", readonly=True, copy=False)
    waive_penalties = fields.Boolean(
        string="Waive the Penalties",
        readonly=True,
        help="At activation, the penalties accrued and not yet invoiced on the covered invoices are waived.",
    )
    restore_penalties = fields.Boolean(
        string="Penalties Due Again if Broken",
        default=True,
        help="If the plan breaks, the penalties waived under it may be charged again.",
    )

    @api.depends("partner_id", "date", "company_id")
    def _compute_name(self):
        for plan in self:
            # stored: no words, and the date as the company's language writes it (07/12/2026 in French)
            day = format_date(self.env, plan.date, lang_code=plan.company_id.partner_id.lang) if plan.date else ""
            plan.name = f"{plan.partner_id.name or ''} – {day}"

    @api.depends("line_ids.is_paid", "line_ids.date_due")
    def _compute_next_line_id(self):
        for plan in self:
            plan.next_line_id = plan.line_ids.filtered(lambda line: not line.is_paid).sorted("date_due")[:1]

    def _compute_recipient_id(self):
        for plan in self:
            plan.recipient_id = plan.partner_id._collection_recipient()

    @api.depends("line_ids.amount", "amount_covered", "move_ids.amount_residual")
    def _compute_amounts(self):
        for plan in self:
            plan.amount_total = sum(plan.line_ids.mapped("amount"))
            owed = sum(plan.move_ids.mapped("amount_residual"))
            plan.amount_paid = plan.currency_id.round(max(plan.amount_covered - owed, 0.0))
            plan.amount_residual = plan.currency_id.round(max(plan.amount_total - plan.amount_paid, 0.0))
            plan.progress = 100.0 * plan.amount_paid / plan.amount_total if plan.amount_total else 0.0

    # ------------------------------------------------------------------
    # Input checks
    # ------------------------------------------------------------------

    @api.model
    def _input_bounds(self):
        return {
            **super()._input_bounds(),
            "interest_rate": (0, 100),
            "settlement_discount": (0, 100),
            "grace_days": (0, 3650),
            "reminder_days": (0, 3650),
            "amount_covered": (0, None),
        }

    @api.constrains("move_ids", "partner_id", "currency_id")
    def _check_invoices(self):
        """The customer's own invoices in the plan's currency; still open while the plan is not agreed."""
        for plan in self:
            plan._input_check_invoices(
                plan.move_ids, plan.partner_id, plan.currency_id, open_only=plan.state in ("draft", "proposed")
            )

    # ------------------------------------------------------------------
    # Creation
    # ------------------------------------------------------------------

    @api.model
    def _check_coverable(self, moves, amount, first_date):
        """Refuse, before anything is created, a plan that cannot be: the messages name what is wrong."""
        if not moves:
            raise UserError(self.env._("Select the open invoices the plan covers."))
        if moves.filtered(lambda m: m.move_type != "out_invoice" or m.state != "posted" or not m.amount_residual):
            raise UserError(self.env._("A payment plan covers posted customer invoices that are still open."))
        if len(moves.commercial_partner_id) > 1:
            raise UserError(self.env._("A payment plan covers the invoices of one customer."))
        if len(moves.currency_id) > 1:
            raise UserError(self.env._("A payment plan covers invoices in one currency: make one plan per currency."))
        self._check_not_in_active_plan(moves)
        in_case = moves.filtered("collection_case_id")
        if in_case:
            raise UserError(
                self.env._(
                    "These invoices are in an open contentious case: settle it there (%(invoices)s).",
                    invoices=", ".join(in_case.mapped("name")),
                )
            )
        residual = sum(moves.mapped("amount_residual"))
        if moves.currency_id.compare_amounts(amount, residual) > 0:
            raise UserError(
                self.env._(
                    "The amount to schedule (%(amount)s) is more than what the invoices still owe (%(residual)s).",
                    amount=moves.currency_id.format(amount),
                    residual=moves.currency_id.format(residual),
                )
            )
        if first_date < fields.Date.context_today(self):
            raise UserError(self.env._("The first installment cannot be due in the past."))

    def _invoice_interest(self):
        """Invoice the interest of the schedule, without VAT (interest for a payment delay is outside its
        scope), and cover that invoice by the plan too: the installments then pay invoices, never more."""
        self.ensure_one()
        interest = self.currency_id.round(sum(self.line_ids.mapped("interest")))
        if self.currency_id.is_zero(interest):
            return self.env["account.move"]
        penalty_account, _indemnity_account = self.company_id._collection_penalty_accounts()
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "company_id": self.company_id.id,
                "partner_id": self.partner_id.id,
                "currency_id": self.currency_id.id,
                "invoice_date": self.date,
                "invoice_date_due": self.line_ids[-1:].date_due,
                "invoice_payment_term_id": False,
                "ref": self.with_context(lang=self.partner_id.lang).env._("Interest of the payment plan"),
                "invoice_line_ids": [
                    fields.Command.create(
                        {
                            "name": self.with_context(lang=self.partner_id.lang).env._(
                                "Interest of the payment plan of %(date)s (%(rate)s %% a year)",
                                date=format_date(self.env, self.date),
                                rate=formatLang(self.env, self.interest_rate, digits=2),
                            ),
                            "account_id": penalty_account.id,
                            "quantity": 1,
                            "price_unit": interest,
                            "tax_ids": [fields.Command.clear()],
                        }
                    )
                ],
            }
        )
        invoice.with_context(recouvrement_no_credit_hold=True).action_post()  # not new credit
        self.sudo().write(
            {
                "move_ids": [fields.Command.link(invoice.id)],
                "amount_covered": self.amount_covered + invoice.amount_residual,
                "interest_invoice_id": invoice.id,
            }
        )
        return invoice

    def _waive_penalties(self, on_date):
        """Waive the penalties and indemnities accrued on the covered invoices and not yet invoiced: the
        waivers are kept (and logged) with the plan, and come back if it breaks."""
        self.ensure_one()
        figures = self.move_ids._collection_penalty_figures(on_date)
        reason = self.env._("Waived under the payment plan of %(date)s", date=self.date)
        charges = self.env["recouvrement.penalty"].create(
            [
                {
                    "company_id": self.company_id.id,
                    "partner_id": self.partner_id.id,
                    "move_id": move.id,
                    "currency_id": move.currency_id.id,
                    "date_from": figure["date_from"],
                    "date_to": on_date,
                    "rates": figure["rates"],
                    "penalty_amount": figure["penalty"],
                    "penalty_waived": figure["penalty"],
                    "indemnity_amount": figure["indemnity_due"],
                    "indemnity_waived": figure["indemnity_due"],
                    "waiver_reason": reason,
                    "payment_plan_id": self.id,
                }
                for move, figure in figures.items()
                if not figure["error"] and (figure["penalty"] or figure["indemnity_due"])
            ]
        )
        charges._log_waivers()
        return charges

    @api.model
    def _check_not_in_active_plan(self, moves):
        """Refuse invoices already in another active plan than ``self`` or the plans it replaces."""
        replaced = self | self.previous_plan_id
        busy = moves.filtered(
            lambda m: m.sudo().collection_payment_plan_ids.filtered(lambda p: p.state == "active" and p not in replaced)
        )
        if busy:
            raise UserError(
                self.env._(
                    "These invoices are already in an active payment plan: %(invoices)s.",
                    invoices=", ".join(busy.mapped("name")),
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_propose(self):
        """The plan was sent to the debtor for agreement."""
        if self.filtered(lambda plan: plan.state != "draft"):
            raise UserError(self.env._("Only a draft payment plan can be proposed."))
        self._set_state("proposed")

    def action_activate(self):
        """The debtor agreed: the plan replaces dunning for its invoices. Its interest is invoiced and, when
        agreed, the penalties accrued so far are waived."""
        if self.filtered(lambda plan: plan.state not in ("draft", "proposed")):
            raise UserError(self.env._("Only a draft or proposed payment plan can be activated."))
        if self.filtered("waive_penalties") and not self.env.user.has_group(
            "recouvrement_creances.group_recouvrement_manager"
        ):
            raise AccessError(self.env._("Only a collection manager may waive penalties."))
        for plan in self:
            plan._check_not_in_active_plan(plan.move_ids)
        self.previous_plan_id.filtered(lambda plan: plan.state in ("draft", "proposed", "active")).action_cancel()
        self._set_state("active")
        for plan in self:
            plan._invoice_interest()
            if plan.waive_penalties:
                plan.sudo()._waive_penalties(fields.Date.context_today(self))

    def action_cancel(self):
        """Give up the plan: its invoices go back to the dunning run, an interest invoice not yet paid is
        credited, and the penalties waived under it are due again."""
        if self.filtered(lambda plan: plan.state not in ("draft", "proposed", "active")):
            raise UserError(self.env._("Only a draft, proposed or active payment plan can be cancelled."))
        self._set_state("cancelled")
        unpaid = self.interest_invoice_id.filtered(lambda move: move.payment_state == "not_paid")
        if unpaid:
            unpaid._reverse_moves(cancel=True)

    def action_renegotiate(self):
        """Open the plan wizard on what this plan's invoices still owe: the new plan replaces this one when it
        is activated, and both stay in the history."""
        self.ensure_one()
        if self.state not in ("draft", "proposed", "active", "broken"):
            raise UserError(self.env._("Only a current or broken payment plan can be renegotiated."))
        moves = self.move_ids.filtered(lambda move: move.amount_residual)
        if self.interest_invoice_id.payment_state == "not_paid" and self.state != "broken":
            # credited when this plan is cancelled: the new plan reckons its own interest
            moves -= self.interest_invoice_id
        return self.env["recouvrement.payment.plan.wizard"]._get_records_action(
            name=self.env._("Renegotiate the Payment Plan"),
            target="new",
            context={
                "active_model": "account.move",
                "active_ids": moves.ids,
                "default_previous_plan_id": self.id,
                "default_grace_days": self.grace_days,
                "default_frequency": self.frequency,
            },
        )

    def action_grant_settlement_discount(self):
        """The debtor settles the balance early: book the agreed discount as a credit note, with the VAT
        reduced in proportion (CGI art. 267 II), offset against the covered invoices. The debtor then owes
        the balance less the discount."""
        self.ensure_one()
        if self.state != "active" or not self.settlement_discount:
            raise UserError(self.env._("Only an active plan with an early settlement discount can grant it."))
        if self.settlement_credit_note_id:
            raise UserError(self.env._("The early settlement discount of this plan was already granted."))
        if fields.Date.context_today(self) > self.settlement_deadline:
            raise UserError(
                self.env._(
                    "The early settlement discount was offered until %(date)s.",
                    date=format_date(self.env, self.settlement_deadline),
                )
            )
        account = self.company_id.account_journal_early_pay_discount_loss_account_id
        if not account:
            raise UserError(
                self.env._(
                    "Choose the cash discount loss account in Accounting > Configuration > Settings (company "
                    "%(company)s).",
                    company=self.company_id.name,
                )
            )
        label = self.with_context(lang=self.partner_id.lang).env._("Early settlement discount")
        credit_note = self.move_ids._collection_credit_note(
            lambda move: self.settlement_discount / 100 * move.amount_residual / move.amount_total,
            account,
            label,
            fields.Date.context_today(self),
        )
        self.sudo().settlement_credit_note_id = credit_note
        self.message_post(
            body=self.env._(
                "Early settlement discount of %(discount)s granted (%(credit_note)s): the balance to pay is "
                "%(balance)s.",
                discount=self.currency_id.format(credit_note.amount_total),
                credit_note=credit_note.name,
                balance=self.currency_id.format(sum(self.move_ids.mapped("amount_residual"))),
            )
        )
        return credit_note

    def _check_schedule_editable(self):
        if self.filtered(lambda plan: plan.state not in ("draft", "proposed")):
            raise UserError(
                self.env._(
                    "The schedule of an active plan cannot be changed: cancel it and make a new plan, the history "
                    "is kept."
                )
            )

    def _set_state(self, state):
        """Move these plans to ``state``: the product's actions are the only way a plan moves."""
        for plan in self:
            if state != plan.state and state not in PLAN_TRANSITIONS[plan.state]:
                states = dict(self._fields["state"]._description_selection(self.env))
                raise UserError(
                    self.env._(
                        "A payment plan cannot go from “%(old)s” to “%(new)s”.",
                        old=states[plan.state],
                        new=states[state],
                    )
                )
        self.sudo().with_context(collection_plan_state=True).write({"state": state})

    # ------------------------------------------------------------------
    # Follow-up
    # ------------------------------------------------------------------

    def _update_states(self, on_date=None):
        """Complete the active plans whose invoices are paid; break those with an installment missed past its
        grace: their invoices go back to the dunning run and the collector is told."""
        on_date = on_date or fields.Date.context_today(self)
        active = self.filtered(lambda plan: plan.state == "active")
        completed = active.filtered(
            lambda plan: not any(plan.move_ids.mapped("amount_residual"))
            or plan.currency_id.compare_amounts(plan.amount_paid, plan.amount_total) >= 0
        )
        completed._set_state("completed")
        broken = (active - completed).filtered(
            lambda plan: plan.line_ids.filtered(lambda line: line._is_missed(on_date))
        )
        broken._set_state("broken")
        for plan in broken:
            plan.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=on_date,
                summary=self.env._("Payment plan broken: %(partner)s", partner=plan.partner_id.name),
                user_id=plan.partner_id.with_company(plan.company_id).collection_user_id.id or self.env.user.id,
            )
            plan.move_ids.with_context(collection_evidence=True)._message_log_batch(
                bodies={
                    move.id: Markup("<p>%s</p>")
                    % self.env._("The payment plan was broken: collection resumes for this invoice.")
                    for move in plan.move_ids
                }
            )
        return completed, broken

    def _send_installment_reminders(self, on_date=None):
        """Email the debtors whose next installment falls due within the plan's reminder days, once each."""
        on_date = on_date or fields.Date.context_today(self)
        template = self.env.ref("recouvrement_creances.mail_template_payment_plan_installment")
        due = self.filtered(
            lambda plan: plan.state == "active"
            and plan.next_line_id
            and not plan.next_line_id.reminder_sent
            and fields.Date.subtract(plan.next_line_id.date_due, days=plan.reminder_days) <= on_date
        )
        for plan in due:
            plan.message_post_with_source(template, subtype_xmlid="mail.mt_comment")
        due.next_line_id.reminder_sent = True
        return due

    @api.model
    def _cron_update_states(self):
        plans = self.search([("state", "=", "active")])
        plans._update_states()
        plans._send_installment_reminders()
