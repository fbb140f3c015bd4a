from odoo import models

from ..tools.mail_delivery import failure_kind

# What an outgoing email says and to whom: frozen once it carries collection evidence (its state and failure
# are Odoo's queue's to write).
FROZEN_MAIL_FIELDS = {"body_html", "email_to", "email_cc", "recipient_ids", "headers", "mail_message_id", "reply_to"}


class MailMail(models.Model):
    _inherit = "mail.mail"

    def write(self, vals):
        if FROZEN_MAIL_FIELDS & vals.keys():
            self.mail_message_id._collection_check_frozen()
        return super().write(vals)

    def unlink(self):
        # Odoo's queue deletes the emails it sent as superuser; a user may not delete a reminder
        self.mail_message_id._collection_check_frozen()
        return super().unlink()

    def _postprocess_sent_message(self, success_pids, success_emails, failure_reason=False, failure_type=None):
        result = super()._postprocess_sent_message(
            success_pids, success_emails, failure_reason=failure_reason, failure_type=failure_type
        )
        if failure_type and failure_kind(failure_type, failure_reason) == "transient":
            self._collection_retry()
        return result

    def _collection_retry(self):
        """Collection reminders that the mail server did not take are queued again by their actions, with
        back-off, instead of waiting for someone to press *Retry*."""
        mails = self.exists().filtered(lambda mail: mail.model == "recouvrement.action" and mail.state == "exception")
        if mails:
            actions = (
                self.env["recouvrement.action"].sudo().search([("mail_message_id", "in", mails.mail_message_id.ids)])
            )
            actions._schedule_mail_retry(mails.sudo())
