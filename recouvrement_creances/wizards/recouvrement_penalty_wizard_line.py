from odoo import api, fields, models


class RecouvrementPenaltyWizardLine(models.TransientModel):
    """One late invoice in *Invoice the penalties*: what it owes since it was last invoiced, and what the
    manager waives."""

    _name = "recouvrement.penalty.wizard.line"
    _inherit = ["recouvrement.input.mixin"]
    _description = "Late Invoice to Charge Penalties On"

    wizard_id = fields.Many2one("recouvrement.penalty.wizard", required=True, ondelete="cascade")
    move_id = fields.Many2one("account.move", string="Invoice", required=True, readonly=True)
    currency_id = fields.Many2one(related="move_id.currency_id")
    invoice_date_due = fields.Date(related="move_id.invoice_date_due")
    date_from = fields.Date(string="From", compute="_compute_figures", store=True)
    rates = fields.Char(compute="_compute_figures", store=True)
    penalty_amount = fields.Monetary(string="Penalties", compute="_compute_figures", store=True)
    indemnity_amount = fields.Monetary(string="Indemnity", compute="_compute_figures", store=True)
    error = fields.Char(string="Not Computed", compute="_compute_figures", store=True)
    penalty_waived = fields.Monetary(string="Penalties Waived")
    indemnity_waived = fields.Monetary()
    waiver_reason = fields.Char()
    amount_charged = fields.Monetary(string="To Invoice", compute="_compute_amount_charged")

    @api.depends("move_id", "wizard_id.date")
    def _compute_figures(self):
        for date, lines in self.grouped(lambda line: line.wizard_id.date).items():
            figures = lines.move_id._collection_penalty_figures(date) if date else {}
            for line in lines:
                figure = figures.get(line.move_id._origin, {})
                line.date_from = figure.get("date_from")
                line.rates = figure.get("rates")
                line.penalty_amount = figure.get("penalty", 0.0)
                line.indemnity_amount = figure.get("indemnity_due", 0.0)
                line.error = figure.get("error")

    @api.depends("penalty_amount", "penalty_waived", "indemnity_amount", "indemnity_waived")
    def _compute_amount_charged(self):
        for line in self:
            line.amount_charged = (
                line.penalty_amount - line.penalty_waived + line.indemnity_amount - line.indemnity_waived
            )

    def _prepare_charge_vals(self):
        self.ensure_one()
        return {
            "company_id": self.wizard_id.company_id.id,
            "partner_id": self.wizard_id.partner_id.id,
            "move_id": self.move_id.id,
            "currency_id": self.currency_id.id,
            "date_from": self.date_from,
            "date_to": self.wizard_id.date,
            "rates": self.rates,
            "penalty_amount": self.penalty_amount,
            "penalty_waived": self.penalty_waived,
            "indemnity_amount": self.indemnity_amount,
            "indemnity_waived": self.indemnity_waived,
            "waiver_reason": self.waiver_reason,
        }
