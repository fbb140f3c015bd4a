from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date


class RecouvrementPenaltyWizard(models.TransientModel):
    """*Invoice the penalties*: previews the penalties and indemnity of a customer's late invoices, lets the
    manager waive all or part of them with a reason, and invoices the rest on one customer invoice."""

    _name = "recouvrement.penalty.wizard"
    _inherit = ["recouvrement.input.mixin"]
    _description = "Invoice Late-Payment Penalties"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True)
    date = fields.Date(
        string="Penalties Until",
        required=True,
        default=fields.Date.context_today,
        help="Penalties are counted up to this day (included); it is also the date of the penalty invoice.",
    )
    line_ids = fields.One2many("recouvrement.penalty.wizard.line", "wizard_id", string="Late Invoices")
    currency_id = fields.Many2one("res.currency", compute="_compute_totals")
    amount_total = fields.Monetary(string="Total to Invoice", compute="_compute_totals")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        model, ids = self.env.context.get("active_model"), self.env.context.get("active_ids") or []
        if model == "res.partner":
            partner = self.env["res.partner"].browse(ids).commercial_partner_id
            moves = partner._collection_penalty_invoices()
        elif model == "recouvrement.action":
            actions = self.env["recouvrement.action"].browse(ids)
            partner = actions.partner_id
            moves = actions.line_ids.move_id
        else:
            return values
        if len(partner) != 1:
            raise UserError(self.env._("Invoice the penalties of one customer at a time."))
        figures = moves._collection_penalty_figures(values.get("date") or fields.Date.context_today(self))
        values["partner_id"] = partner.id
        values["line_ids"] = [
            Command.create({"move_id": move.id})
            for move in moves.sorted("invoice_date_due")
            if move in figures
            and (figures[move]["penalty"] or figures[move]["indemnity_due"] or figures[move]["error"])
        ]
        return values

    @api.constrains("date")
    def _check_date(self):
        today = fields.Date.context_today(self)
        for wizard in self.filtered(lambda wizard: wizard.date > today):
            raise ValidationError(
                self.env._(
                    "Penalties are invoiced as accrued: they cannot be counted to a day to come (%(date)s).",
                    date=format_date(self.env, wizard.date),
                )
            )

    @api.depends("line_ids.amount_charged", "line_ids.currency_id")
    def _compute_totals(self):
        for wizard in self:
            currencies = wizard.line_ids.currency_id
            wizard.currency_id = currencies if len(currencies) == 1 else False
            wizard.amount_total = sum(wizard.line_ids.mapped("amount_charged")) if len(currencies) == 1 else 0.0

    # ------------------------------------------------------------------
    # Invoicing
    # ------------------------------------------------------------------

    def action_invoice(self):
        """Record the penalties charged or waived, post the penalty invoice(s), one per currency."""
        self.ensure_one()
        lines = self.line_ids.filtered(lambda line: line.penalty_amount or line.indemnity_amount)
        self._check_lines(lines)
        charges = self.env["recouvrement.penalty"].create([line._prepare_charge_vals() for line in lines])
        invoices = self.env["account.move"]
        for currency, currency_charges in charges.filtered("amount_charged").grouped("currency_id").items():
            invoice = self.env["account.move"].create(self._prepare_invoice_vals(currency, currency_charges))
            invoice.with_context(recouvrement_no_credit_hold=True).action_post()  # not new credit
            currency_charges.sudo().invoice_id = invoice  # charges are read-only to users: the wizard links them
            invoices |= invoice
        charges._log_waivers()
        if not invoices:
            return {"type": "ir.actions.act_window_close"}
        return invoices._get_records_action(name=self.env._("Penalty Invoices"))

    def _check_lines(self, lines):
        for line in self.line_ids.filtered("error"):
            raise UserError(
                self.env._(
                    "The penalties of %(invoice)s cannot be computed: %(error)s Remove this invoice from the list "
                    "or fix the rates first.",
                    invoice=line.move_id.name,
                    error=line.error,
                )
            )
        if not lines:
            raise UserError(
                self.env._("There are no penalties to invoice for %(partner)s.", partner=self.partner_id.name)
            )
        for line in lines:
            waivers = ((line.penalty_waived, line.penalty_amount), (line.indemnity_waived, line.indemnity_amount))
            if any(not 0 <= waived <= owed for waived, owed in waivers):
                raise UserError(
                    self.env._(
                        "%(invoice)s: what is waived must be between zero and the amount owed.",
                        invoice=line.move_id.name,
                    )
                )
            if (line.penalty_waived or line.indemnity_waived) and not line.waiver_reason:
                raise UserError(self.env._("%(invoice)s: give the reason of the waiver.", invoice=line.move_id.name))

    def _prepare_invoice_vals(self, currency, charges):
        """One customer invoice, without tax, with a penalty line and an indemnity line per late invoice."""
        penalty_account, indemnity_account = self.company_id._collection_penalty_accounts()
        lang_self = self.with_context(lang=self.partner_id.lang or self.env.lang)
        invoice_lines = []
        for charge in charges:
            for amount, account, name in (
                (charge.penalty_amount - charge.penalty_waived, penalty_account, lang_self._penalty_line_name(charge)),
                (
                    charge.indemnity_amount - charge.indemnity_waived,
                    indemnity_account,
                    lang_self._indemnity_line_name(charge),
                ),
            ):
                if not currency.is_zero(amount):
                    invoice_lines.append(
                        Command.create(
                            {
                                "name": name,
                                "account_id": account.id,
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                                "collection_penalty_id": charge.id,
                            }
                        )
                    )
        return {
            "move_type": "out_invoice",
            "company_id": self.company_id.id,
            "partner_id": self.partner_id.id,
            "currency_id": currency.id,
            "invoice_date": self.date,
            "ref": lang_self.env._("Late-payment penalties and fixed recovery indemnity"),
            "invoice_line_ids": invoice_lines,
        }

    def _penalty_line_name(self, charge):
        return self.env._(
            "Late-payment penalties on %(invoice)s due on %(due)s, from %(date_from)s to %(date_to)s (rate: %(rates)s)",
            invoice=charge.move_id.name,
            due=format_date(self.env, charge.move_id.invoice_date_due),
            date_from=format_date(self.env, charge.date_from),
            date_to=format_date(self.env, charge.date_to),
            rates=charge.rates,
        )

    def _indemnity_line_name(self, charge):
        return self.env._(
            "Fixed indemnity for recovery costs (Code de commerce L441-10, D441-5) on %(invoice)s",
            invoice=charge.move_id.name,
        )
