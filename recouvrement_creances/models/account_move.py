from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    collection_dispute = fields.Boolean(
        string="In Dispute",
        copy=False,
        tracking=True,
        help="The customer contests this invoice: it is left out of collection until resolved.",
    )
    collection_dispute_reason = fields.Text(string="Dispute Reason", copy=False)
