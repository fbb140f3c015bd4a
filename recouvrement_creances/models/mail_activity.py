from odoo import models
from odoo.exceptions import UserError


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        """A collection call is done through its outcome, never silently."""
        if not self.env.context.get("recouvrement_call_logged"):
            action_ids = self.filtered(lambda activity: activity.res_model == "recouvrement.action").mapped("res_id")
            calls = (
                self.env["recouvrement.action"]
                .browse(action_ids)
                .filtered(lambda action: action.channel == "phone" and action.state == "pending")
            )
            if calls:
                raise UserError(self.env._("Record the outcome of the call with the button “Call Outcome”."))
        return super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
