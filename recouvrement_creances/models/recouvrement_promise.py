from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date

# What a promise was made on: kept as it was, a promise on other terms is a new promise.
PROMISE_TERMS = {"company_id", "partner_id", "currency_id", "move_ids", "residual_at_promise", "action_id", "user_id"}


class RecouvrementPromise(models.Model):
    _name = "recouvrement.promise"
    _description = "Promise to Pay"
    _inherit = ["mail.thread", "recouvrement.input.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    partner_id = fields.Many2one("res.partner", string="Debtor", required=True, index=True, check_company=True)
    currency_id = fields.Many2one("res.currency", required=True, default=lambda self: self.env.company.currency_id)
    move_ids = fields.Many2many(
        "account.move",
        "recouvrement_promise_move_rel",
        "promise_id",
        "move_id",
        string="Invoices",
        required=True,
        check_company=True,
        domain="[('commercial_partner_id', '=', partner_id), ('move_type', '=', 'out_invoice'), "
        "('state', '=', 'posted'), ('payment_state', 'in', ('not_paid', 'partial'))]",
    )
    amount = fields.Monetary(required=True, tracking=True)
    date = fields.Date(string="Promised Date", required=True, tracking=True)
    residual_at_promise = fields.Monetary(
        string="Due when Promised", readonly=True, help="Residual amount of the invoices when the promise was made."
    )
    amount_paid = fields.Monetary(string="Paid since", compute="_compute_state")
    state = fields.Selection(
        [("open", "Open"), ("kept", "Kept"), ("broken", "Broken"), ("cancelled", "Cancelled")],
        compute="_compute_state",
        search="_search_state",
    )
    is_cancelled = fields.Boolean(string="Cancelled", readonly=True, tracking=True)
    action_id = fields.Many2one("recouvrement.action", string="From Action", readonly=True)
    user_id = fields.Many2one("res.users", string="Recorded by", default=lambda self: self.env.user, readonly=True)
    note = fields.Text()

    @api.depends("partner_id", "amount", "date")
    def _compute_name(self):
        for promise in self:
            promise.name = self.env._(
                "%(amount)s by %(date)s",
                amount=promise.currency_id.format(promise.amount),
                date=format_date(self.env, promise.date),
            )

    @api.depends("move_ids.amount_residual", "amount", "date", "is_cancelled", "residual_at_promise")
    @api.depends_context("date")
    def _compute_state(self):
        today = self.env.context.get("date") or fields.Date.context_today(self)
        for promise in self:
            residual = sum(promise.move_ids.mapped("amount_residual"))
            promise.amount_paid = max(promise.residual_at_promise - residual, 0)
            if promise.is_cancelled:
                promise.state = "cancelled"
            elif promise.currency_id.compare_amounts(promise.amount_paid, promise.amount) >= 0 or (
                promise.move_ids and promise.currency_id.is_zero(residual)
            ):
                promise.state = "kept"
            elif promise.date and promise.date < today:
                promise.state = "broken"
            else:
                promise.state = "open"

    def _search_state(self, operator, value):
        if operator not in ("in", "="):
            return NotImplemented
        values = {value} if isinstance(value, str) else set(value)
        matching = self.search([("is_cancelled", "=", False)]).filtered(lambda promise: promise.state in values)
        domain = [("id", "in", matching.ids)]
        return ["|", ("is_cancelled", "=", True), *domain] if "cancelled" in values else domain

    @api.model_create_multi
    def create(self, vals_list):
        # what the invoices owe when the promise is made, never typed
        invoice_ids = [self._input_x2many_ids(vals.get("move_ids")) for vals in vals_list]
        moves = self.env["account.move"].browse({id_ for ids in invoice_ids for id_ in ids}).exists()
        residuals = dict(zip(moves.ids, moves.mapped("amount_residual"), strict=True))
        for vals, ids in zip(vals_list, invoice_ids, strict=True):
            vals["residual_at_promise"] = sum(residuals.get(id_, 0.0) for id_ in ids)
        promises = super().create(vals_list)
        promises._log_on_invoices()
        return promises

    def write(self, vals):
        frozen = PROMISE_TERMS & vals.keys()
        if frozen and not self.env.su:
            raise ValidationError(
                self.env._(
                    "A promise to pay keeps what it was made on (%(fields)s): cancel it and record a new one.",
                    fields=", ".join(sorted(self._fields[name]._description_string(self.env) for name in frozen)),
                )
            )
        return super().write(vals)

    @api.constrains("move_ids", "partner_id", "currency_id", "amount", "residual_at_promise")
    def _check_terms(self):
        """The customer's own open invoices, at least one, in the promise's currency; an amount up to what they
        owe."""
        for promise in self:
            promise._input_check_invoices(promise.move_ids, promise.partner_id, promise.currency_id)
            currency = promise.currency_id
            if currency.compare_amounts(promise.amount, 0) <= 0:
                raise ValidationError(self.env._("A promise to pay needs an amount greater than zero."))
            if currency.compare_amounts(promise.amount, promise.residual_at_promise) > 0:
                raise ValidationError(
                    self.env._(
                        "%(record)s: the amount promised (%(amount)s) is more than what its invoices owe (%(owed)s).",
                        record=promise._input_record_label(),
                        amount=currency.format(promise.amount),
                        owed=currency.format(promise.residual_at_promise),
                    )
                )

    @api.constrains("date")
    def _check_date(self):
        today = fields.Date.context_today(self)
        for promise in self.filtered(lambda promise: promise.date < today):
            raise ValidationError(
                self.env._(
                    "A promise to pay cannot be dated in the past (%(date)s).", date=format_date(self.env, promise.date)
                )
            )

    def _log_on_invoices(self):
        bodies = {}
        for promise in self:
            for move in promise.move_ids:
                bodies[move.id] = self.env._(
                    "Promise to pay %(amount)s by %(date)s recorded.",
                    amount=promise.currency_id.format(promise.amount),
                    date=fields.Date.to_string(promise.date),
                )
        logged = self.with_context(collection_evidence=True)
        logged.move_ids._message_log_batch(bodies=bodies)
        logged.partner_id._message_log_batch(
            bodies={promise.partner_id.id: bodies[promise.move_ids[:1].id] for promise in self if promise.move_ids}
        )

    def action_cancel(self):
        self.is_cancelled = True
