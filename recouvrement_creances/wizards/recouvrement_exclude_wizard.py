from odoo import fields, models
from odoo.exceptions import UserError


class RecouvrementExcludeWizard(models.TransientModel):
    _name = "recouvrement.exclude.wizard"
    _inherit = ["recouvrement.input.mixin"]
    _description = "Exclude from a Collection Run"

    action_ids = fields.Many2many("recouvrement.action", string="Actions")
    line_ids = fields.Many2many("recouvrement.action.line", string="Invoices")
    reason = fields.Char(required=True)

    def action_confirm(self):
        self.ensure_one()
        if not self.action_ids and not self.line_ids:
            raise UserError(self.env._("Select the actions or the invoices to exclude."))
        if self.line_ids:
            self.line_ids._exclude(self.reason)
        if self.action_ids:
            self.action_ids._cancel(self.reason)
        return {"type": "ir.actions.act_window_close"}
