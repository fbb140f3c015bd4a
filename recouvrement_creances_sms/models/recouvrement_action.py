from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import UserError


class RecouvrementAction(models.Model):
    """The SMS channel: the level's text, filled in for the debtor, sent to its mobile through Odoo's SMS. The
    action follows the SMS's status: under way while queued, done once sent, failed if Odoo's SMS says so."""

    _inherit = "recouvrement.action"

    channel = fields.Selection(
        selection_add=[("sms", "SMS")],
        ondelete={"sms": lambda actions: actions.sudo().write({"channel": "letter"})},
    )
    sms_number = fields.Char(string="Mobile", readonly=True, help="The number the SMS was sent to.")

    def _channels_delivered_later(self):
        return [*super()._channels_delivered_later(), "sms"]

    def _get_execution_problems(self):
        problems = super()._get_execution_problems()
        for action in self.filtered(lambda action: action.channel == "sms"):
            if not action._sms_recipient_number():
                problems[action] = self.env._(
                    "%(partner)s: no mobile number to send the SMS to.", partner=action.partner_id.display_name
                )
            elif not action.level_id.sms_text:
                problems[action] = self.env._(
                    "%(partner)s: the level “%(level)s” has no SMS text.",
                    partner=action.partner_id.display_name,
                    level=action.level_id.name,
                )
        return problems

    def _sms_recipient_number(self):
        """The debtor's mobile, in international format: the recipient's, else the customer's."""
        self.ensure_one()
        for partner in (self.recipient_id, self.partner_id):
            if partner.phone:
                return partner._phone_format(number=partner.phone) or partner.phone
        return False

    def _sms_body(self):
        """The level's SMS text, in the debtor's language, with its fields filled in."""
        self.ensure_one()
        lang = self.partner_id.lang
        text = self.level_id.with_context(lang=lang).sms_text or ""
        overdue = self.amount_overdue or self.amount_total
        values = {
            "{company}": self.company_id.name,
            "{amount}": self.with_context(lang=lang).currency_id.format(overdue),
            "{invoices}": str(self.invoice_count),
            "{link}": self.portal_url or "",
        }
        for name, value in values.items():
            text = text.replace(name, value)
        return text

    def _execute_sms(self):
        """Queue each action's SMS: a message of type SMS in the action's chatter, whose notification follows the
        SMS to delivery (the SMS queue sends it, as the mail queue sends the emails)."""
        for action in self:
            number = action._sms_recipient_number()
            if not number:
                raise UserError(self.env._("%s has no mobile number.", action.partner_id.display_name))
            recipient = action.recipient_id if action.recipient_id.phone else action.partner_id
            message = action.with_context(collection_evidence=True)._message_sms(
                action._sms_body(),
                partner_ids=recipient.ids,
                sms_pid_to_number={recipient.id: number},
                put_in_queue=True,
            )
            action.write({"state": "pending", "mail_message_id": message.id, "sms_number": number})
        self._sync_mail_status()

    def _sync_mail_status(self):
        result = super()._sync_mail_status()
        self.filtered(lambda action: action.channel == "sms")._sync_sms_status()
        return result

    def _sync_sms_status(self):
        """Follow Odoo's SMS status: sent (to the operator, or delivered), the action is done and its invoices have
        their level; in error, it fails, the collector is told and the next run chases the debtor again."""
        delivered, failed = self.browse(), self.browse()
        for action in self.filtered(lambda a: a.state in ("pending", "done", "failed")):
            notifications = action.mail_message_id.notification_ids.filtered(lambda n: n.notification_type == "sms")
            statuses = set(notifications.mapped("notification_status"))
            if statuses & {"exception", "bounce", "canceled"} and action.state != "failed":
                types = dict(notifications._fields["failure_type"]._description_selection(self.env))
                reasons = {types.get(n.failure_type) or n.failure_reason for n in notifications} - {False, None, ""}
                action.write({"state": "failed", "error": "; ".join(sorted(reasons)) or self.env._("SMS not sent")})
                failed |= action
            elif statuses and statuses <= {"sent", "pending"} and action.state != "done":
                action.write({"state": "done", "error": False})
                delivered |= action
        (delivered | failed).line_ids.move_id._collection_sync_levels()
        failed._warn_sms_failed()

    def _warn_sms_failed(self):
        self._schedule_activity(
            "recouvrement_creances.mail_activity_collection_mail_failed",
            lambda action: action.env._(
                "SMS not sent to %(partner)s: %(reason)s", partner=action.partner_id.name, reason=action.error
            ),
            note=lambda action: Markup("<p>%s</p>") % action.env._("The next run chases the debtor again."),
        )
