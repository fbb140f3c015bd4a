from odoo import models


class MailNotification(models.Model):
    _inherit = "mail.notification"

    def write(self, vals):
        res = super().write(vals)
        if "notification_status" in vals:
            messages = self.mail_message_id.filtered(lambda message: message.model == "recouvrement.action")
            if messages:
                self.env["recouvrement.action"].sudo().search(
                    [("mail_message_id", "in", messages.ids)]
                )._sync_mail_status()
        return res
