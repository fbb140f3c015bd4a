from odoo import fields, models


class RecouvrementLevel(models.Model):
    _inherit = "recouvrement.level"

    channel_fax = fields.Boolean(string="Fax")
