from odoo import fields, models


class RecouvrementDisputeReason(models.Model):
    """Why a debtor contests an invoice: the list the debtor chooses from on the portal."""

    _name = "recouvrement.dispute.reason"
    _inherit = ["recouvrement.input.mixin"]
    _description = "Dispute Reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    needs_attachment = fields.Boolean(
        string="Proof Expected", help="The portal asks the debtor for a document (a proof of payment, a photo…)."
    )
