from odoo import api, fields, models


class RecouvrementPenalty(models.Model):
    """The penalties and indemnity of one late invoice for one period, invoiced or waived.

    What was charged is never charged again: a later invoicing starts the day after ``date_to`` and the
    indemnity is charged once. Cancelling the penalty invoice makes its charges void, and their amounts
    chargeable again."""

    _name = "recouvrement.penalty"
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
    state = fields.Selection(
        [("invoiced", "Invoiced"), ("waived", "Waived"), ("cancelled", "Cancelled")],
        compute="_compute_state",
        store=True,
        help="Cancelled: its penalty invoice was cancelled, so these amounts may be charged again.",
    )

    @api.depends("penalty_amount", "penalty_waived", "indemnity_amount", "indemnity_waived")
    def _compute_amount_charged(self):
        for charge in self:
            charge.amount_charged = (
                charge.penalty_amount - charge.penalty_waived + charge.indemnity_amount - charge.indemnity_waived
            )

    @api.depends("invoice_id.state")
    def _compute_state(self):
        for charge in self:
            if charge.invoice_id.state == "cancel":
                charge.state = "cancelled"
            else:
                charge.state = "invoiced" if charge.invoice_id else "waived"
