from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    recouvrement_auto_run = fields.Boolean(related="company_id.recouvrement_auto_run", readonly=False)
    recouvrement_b2b_policy_id = fields.Many2one(related="company_id.recouvrement_b2b_policy_id", readonly=False)
    recouvrement_b2c_policy_id = fields.Many2one(related="company_id.recouvrement_b2c_policy_id", readonly=False)
