from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    collection_penalty_id = fields.Many2one(
        "recouvrement.penalty",
        string="Penalties Charged",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="On a penalty invoice: the late invoice and period this line charges.",
    )
