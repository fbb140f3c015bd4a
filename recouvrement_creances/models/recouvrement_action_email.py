from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import format_datetime

from ..tools.mail_delivery import failure_kind, retry_delay
from .ir_qweb import BATCH_KEY


class RecouvrementAction(models.Model):
    """The email channel: the reminders queued through the mass mailing composer, what they list, and how their
    delivery is followed: sent, bounced, a new attempt while the mail server fails."""

    _inherit = "recouvrement.action"

    mail_message_id = fields.Many2one("mail.message", string="Email", readonly=True, index="btree_not_null")
    mail_status = fields.Selection(
        [
            ("queued", "Waiting to be Sent"),
            ("retrying", "New Attempt Scheduled"),
            ("sent", "Sent"),
            ("bounced", "Bounced"),
            ("failed", "Failed"),
        ],
        compute="_compute_mail_status",
    )
    mail_retry_count = fields.Integer(
        string="New Attempts",
        readonly=True,
        help="Times the email was queued again after a failure of the mail server.",
    )
    mail_next_try = fields.Datetime(string="Next Attempt", readonly=True)
    mail_failed_address = fields.Char(
        string="Undeliverable Address",
        readonly=True,
        help="The address this email could not be delivered to: the next reminder to it goes by letter.",
    )

    @api.depends("mail_message_id.notification_ids.notification_status", "mail_retry_count")
    def _compute_mail_status(self):
        for action in self:
            action.mail_status = action._mail_status_from_notifications()

    def _mail_notifications(self):
        self.ensure_one()
        return self.mail_message_id.notification_ids.filtered(lambda n: n.notification_type == "email")

    def _mail_status_from_notifications(self):
        """Where the email stands: queued, sent, bounced, failed for good, or failed for a reason of the mail
        server with attempts left (a new attempt is scheduled)."""
        if not self.mail_message_id:
            return False
        notifications = self._mail_notifications()
        statuses = set(notifications.mapped("notification_status"))
        if "bounce" in statuses:
            return "bounced"
        if statuses & {"exception", "canceled"}:
            kind = self._mail_failure()[0]
            return "retrying" if kind == "transient" and retry_delay(self.mail_retry_count) else "failed"
        if statuses and statuses <= {"sent", "pending"}:
            return "sent"
        return "queued"

    def _mail_failure(self):
        """(kind, reason) of this action's failed email: kind is 'transient' (the mail server), 'address' (the
        recipient's) or 'final'; reason is what the user reads."""
        self.ensure_one()
        failed = self._mail_notifications().filtered(
            lambda n: n.notification_status in ("exception", "bounce", "canceled")
        )
        if not failed:
            return None, False
        if "canceled" in failed.mapped("notification_status"):
            return "final", self.env._("Cancelled")
        kinds = {
            failure_kind("mail_bounce" if n.notification_status == "bounce" else n.failure_type, n.failure_reason)
            for n in failed
        }
        kind = next((kind for kind in ("address", "final") if kind in kinds), "transient")
        types = dict(failed._fields["failure_type"]._description_selection(self.env))
        reasons = {types.get(n.failure_type) or n.failure_reason for n in failed} - {False, None, ""}
        return kind, "; ".join(sorted(reasons)) or self.env._("Bounced")

    def _execute_email(self):
        """Queue the emails of these actions, one batch per template, through Odoo's mass mailing
        composer: rendered together, each kept as a message in its action's chatter, with a
        notification per recipient that follows its delivery (sent, bounced)."""
        moves = self.line_ids.move_id
        moves._collection_ensure_access_tokens()
        moves.fetch(moves._collection_mail_fields())
        for template, actions in self.grouped(lambda action: action.level_id.mail_template_id).items():
            mails = actions._send_mails(template)
            message_of = {mail.res_id: mail.mail_message_id for mail in mails}
            for action in actions:
                action.write({"state": "pending", "mail_message_id": message_of[action.id].id})
        self._apply_custom_subject()
        self.filtered(lambda action: action._attaches_statement())._attach_statements()
        self.filtered("attach_invoices")._attach_invoices_to_emails()
        # A recipient without a valid address fails at once, before anything is sent.
        self._sync_mail_status()

    def _attach_statements(self):
        """Join the debtor's statement of account (PDF) to the queued email of each of these actions."""
        report = self.env.ref("recouvrement_creances.action_report_collection_statement")
        for action in self:
            partner = action.partner_id.with_company(action.company_id)
            pdf, _type = (
                report.with_company(action.company_id)
                .with_context(lang=partner.lang)
                ._render_qweb_pdf(report.report_name, partner.ids)
            )
            attachment = (
                self.env["ir.attachment"]
                .with_context(collection_evidence=True)
                .create(
                    {
                        "name": action._statement_filename(),
                        "raw": pdf,
                        "mimetype": "application/pdf",
                        "res_model": "mail.message",
                        "res_id": action.mail_message_id.id,
                    }
                )
            )
            action.mail_message_id.attachment_ids = [fields.Command.link(attachment.id)]

    def _statement_filename(self):
        self.ensure_one()
        partner = self.partner_id
        return self.with_context(lang=partner.lang).env._("Statement %(partner)s.pdf", partner=partner.name)

    def collection_mail_details(self):
        """The part shared by every collection email (invoices, total, how to pay), for the templates.

        A QWeb view, compiled once, rather than a call inside each template's body: Odoo compiles a
        template's body again for every email."""
        self.ensure_one()
        return self.env["ir.qweb"]._render(
            "recouvrement_creances.collection_mail_body", {"object": self, "penalties": self._penalties_to_show()}
        )

    def _sections(self):
        """The invoices of this action as its email and letter list them: the overdue ones, then those not yet
        due (*À échoir*), then the credits, each with its total. [{key, lines, total}] of the sections not
        empty; the net of them all is the action's total."""
        self.ensure_one()
        lines = self.line_ids.filtered(lambda line: not line.excluded).sorted(lambda line: (line.date_due, line.id))
        keys = {"overdue": [], "not_due": [], "credit": []}
        for line in lines:
            key = "credit" if line.amount_residual < 0 else "overdue" if line.days_overdue > 0 else "not_due"
            keys[key].append(line)
        Line = self.env["recouvrement.action.line"]
        return [
            {
                "key": key,
                "lines": Line.union(*found),
                "total": self.currency_id.round(sum(line.amount_residual for line in found)),
            }
            for key, found in keys.items()
            if found
        ]

    def _penalties_to_show(self):
        """{invoice: penalty figures on the action's date} when its level shows the penalties, else {}."""
        self.ensure_one()
        if not self.level_id.charge_penalties:
            return {}
        return self.line_ids.filtered(lambda line: not line.excluded).move_id._collection_penalty_figures(self.date)

    def _channels_delivered_later(self):
        """The channels whose actions, under way, have not reached the debtor yet: they count once delivered."""
        return ["email"]

    def _get_model_description(self, model_name):
        """The email's header reads "Your account statement", never the model's internal label."""
        if model_name == self._name:
            return self.env._("account statement")
        return super()._get_model_description(model_name)

    def _send_mails(self, template):
        """Queue the emails of these actions from ``template`` with the mass mailing composer's own values (rendered
        body, layout, recipients, reply-to, state of a missing address), prepared for the whole batch at once: the
        mails, with their messages, and their notifications are then created with one create each."""
        composer = (
            self.env["mail.compose.message"]
            .with_context(mail_notify_force_send=False, **{BATCH_KEY: {}})
            .create(
                {
                    "composition_mode": "mass_mail",
                    "model": self._name,
                    "res_ids": self.ids,
                    "template_id": template.id,
                    "email_layout_xmlid": "mail.mail_notification_light",
                    "auto_delete_keep_log": True,
                    "force_send": False,
                }
            )
        )
        values = composer._manage_mail_values(composer._prepare_mail_values(self.ids))
        mails = self.env["mail.mail"].sudo().create(list(values.values()))
        self.env["mail.notification"].sudo().create(composer._generate_mail_notification_values(mails))
        self._message_mail_after_hook(mails)
        return mails

    def _sync_mail_status(self):
        """Follow the real outcome of the email. Sent, the action is done and its invoices have their level. While
        the mail server fails, the action waits for the next attempt. A final failure (a bad address, a bounce,
        the attempts exhausted) fails the action: the level is not had, the next run chases the debtor again,
        by letter when the address is the problem, and the collector is told."""
        delivered, failed = self.browse(), self.browse()
        for action in self.filtered(lambda a: a.channel == "email" and a.state in ("pending", "done", "failed")):
            status = action._mail_status_from_notifications()
            if status == "sent" and action.state != "done":
                action.write({"state": "done", "error": False, "mail_failed_address": False, "mail_next_try": False})
                delivered |= action
            elif status in ("bounced", "failed") and action.state != "failed":
                kind, reason = action._mail_failure()
                action.write(
                    {
                        "state": "failed",
                        "error": reason,
                        "mail_next_try": False,
                        "mail_failed_address": kind == "address" and action._recipient_address(),
                    }
                )
                failed |= action
        (delivered | failed).line_ids.move_id._collection_sync_levels()
        failed._warn_mail_failed()

    def _warn_mail_failed(self):
        """Tell the collector, on the action, that its reminder did not reach the debtor, and log it."""
        self._schedule_activity(
            "recouvrement_creances.mail_activity_collection_mail_failed",
            lambda action: action.env._(
                "Reminder not delivered to %(partner)s: %(reason)s", partner=action.partner_id.name, reason=action.error
            ),
            note=lambda action: Markup("<p>%s</p>")
            % (
                action.env._("The next run sends it again by letter: the email address is not valid.")
                if action.mail_failed_address
                else action.env._("The next run sends it again by email.")
            ),
        )
        bodies = {}
        for action in self:
            body = Markup("<p>%s</p>") % action.with_context(lang=action._log_lang()).env._(
                "Collection: the %(level)s email was not delivered (%(reason)s).",
                level=action.level_id.name,
                reason=action.error,
            )
            bodies[action.partner_id.id] = bodies.get(action.partner_id.id, Markup()) + body
        if bodies:
            self.env["res.partner"].with_context(collection_evidence=True).browse(bodies)._message_log_batch(
                bodies=bodies
            )

    def _schedule_mail_retry(self, mails):
        """Queue again these actions' ``mails`` that failed for a reason of the mail server, after the next delay
        of the back-off (5 minutes, then longer and longer, for more than a day), while attempts are left."""
        now = fields.Datetime.now()
        for action in self.filtered(lambda a: a.state == "pending"):
            delay = retry_delay(action.mail_retry_count)
            action_mails = mails.filtered(lambda mail, action=action: mail.mail_message_id == action.mail_message_id)
            if not delay or not action_mails:
                continue
            next_try = now + timedelta(minutes=delay)
            action_mails.write({"state": "outgoing", "scheduled_date": next_try})
            action.write({"mail_retry_count": action.mail_retry_count + 1, "mail_next_try": next_try})
            action._message_log(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "The mail server did not take the email (%(reason)s): new attempt on %(date)s.",
                    reason=action._mail_failure()[1],
                    date=format_datetime(self.env, next_try),
                )
            )
            self.env.ref("mail.ir_cron_mail_scheduler_action")._trigger(next_try)

    def _recipient_address(self):
        self.ensure_one()
        return self.recipient_id.email_normalized or self.recipient_id.email or False

    @api.model
    def _undeliverable_addresses(self, company):
        """{(recipient id, normalized email)} whose last collection email in ``company`` failed because of the
        address, with no email delivered to that recipient since."""
        failed = self._read_group(
            [("company_id", "=", company.id), ("channel", "=", "email"), ("state", "=", "failed"),
             ("mail_failed_address", "!=", False)],
            ["recipient_id", "mail_failed_address"],
            ["id:max"],
        )  # fmt: skip
        delivered = dict(
            self._read_group(
                [
                    ("company_id", "=", company.id),
                    ("channel", "=", "email"),
                    ("state", "=", "done"),
                    ("recipient_id", "in", [recipient.id for recipient, _address, _id in failed]),
                ],
                ["recipient_id"],
                ["id:max"],
            )  # fmt: skip
        )
        return {(recipient.id, address) for recipient, address, last in failed if last > delivered.get(recipient, 0)}
