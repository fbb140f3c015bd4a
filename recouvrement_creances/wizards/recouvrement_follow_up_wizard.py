import base64
import contextlib

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.recouvrement_action import LETTERS


class RecouvrementFollowUpWizard(models.TransientModel):
    """The follow-up of one debtor, as it will go out: the email rendered in the debtor's language, or the
    letter's PDF, before anything is sent. The user may change its subject, add a paragraph, join the invoices
    and the statement, choose the channels, then *Send and Print*.

    Opened on a proposed action (a manager validating a formal notice sees its PDF), it executes that action as
    the review would. Opened on a customer, it is a follow-up outside the schedule: an action per channel, logged
    like any other, which gives the invoices no level unless the user chooses to."""

    _name = "recouvrement.follow.up.wizard"
    _inherit = ["recouvrement.input.mixin"]
    _description = "Follow-up of a Debtor"

    partner_id = fields.Many2one("res.partner", string="Debtor", required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company)
    action_id = fields.Many2one("recouvrement.action", string="Proposed Action", readonly=True)
    policy_id = fields.Many2one("recouvrement.policy", compute="_compute_policy_id")
    level_id = fields.Many2one(
        "recouvrement.level",
        string="Text of Level",
        domain="[('policy_id', '=', policy_id)]",
        help="The level whose email template and letter text are used.",
    )
    give_level = fields.Boolean(
        string="Record this Level on the Invoices",
        help="Off: a follow-up outside the schedule, logged, that moves no level. On: the invoices that reached "
        "this level and do not have it yet get it, as if the run had sent it.",
    )
    send_email = fields.Boolean(string="Email")
    send_letter = fields.Boolean(string="Letter")
    subject = fields.Char(help="Leave empty to keep the template's subject.")
    custom_text = fields.Text(string="Added Text", help="A paragraph printed before the invoices.")
    attach_invoices = fields.Boolean(string="Attach the Invoices")
    attach_statement = fields.Boolean(string="Attach the Statement")
    recipient_email = fields.Char(string="Sent to", readonly=True)
    preview_subject = fields.Char(readonly=True)
    preview_html = fields.Html(string="Email Preview", readonly=True, sanitize=False)
    preview_pdf = fields.Binary(string="Letter Preview", readonly=True, attachment=False)
    preview_pdf_name = fields.Char(readonly=True)

    @api.depends("partner_id", "company_id", "action_id")
    def _compute_policy_id(self):
        for wizard in self:
            wizard.policy_id = (
                wizard.action_id.policy_id or wizard.partner_id.with_company(wizard.company_id)._collection_policy()
            )

    # ------------------------------------------------------------------
    # Opening
    # ------------------------------------------------------------------

    @api.model
    def _open(self, values):
        """Create the wizard with ``values``, render its preview, and open it."""
        wizard = self.create(values)
        wizard._refresh_preview()
        return wizard._get_records_action(name=self.env._("Follow-up of %s", wizard.partner_id.name), target="new")

    @api.model
    def _values_for_partner(self, partner):
        """A follow-up outside the schedule: the text of the highest level the debtor reached (else the next one),
        by the level's channels, giving no level."""
        partner = partner.commercial_partner_id.with_company(self.env.company)
        policy = partner._collection_policy()
        if not policy:
            raise UserError(self.env._("%s has no collection policy: choose one on the customer.", partner.name))
        level = self._default_level(policy, partner.collection_level_id or partner.collection_next_level_id)
        channels = level._get_channels()
        return {
            "partner_id": partner.id,
            "level_id": level.id,
            "send_email": "email" in channels or not any(channel in LETTERS for channel in channels),
            "send_letter": any(channel in LETTERS for channel in channels),
            "attach_statement": level.attach_statement,
        }

    @api.model
    def _default_level(self, policy, reached):
        """The level whose text a follow-up by hand uses by default: the highest one that writes to the debtor
        (an email template), up to the level ``reached``; else the policy's first that writes."""
        writing = policy._sorted_levels().filtered("mail_template_id")
        below = writing.filtered(lambda level: not reached or level.offset_days <= reached.offset_days)
        return below[-1:] or writing[:1] or reached or policy._sorted_levels()[:1]

    @api.model
    def _values_for_action(self, action):
        """The proposed action under review: its channel and level as proposed."""
        if action.state != "proposed" or action.channel not in self._previewable_channels():
            raise UserError(self.env._("Only a proposed email or letter can be previewed before it goes."))
        return {
            "partner_id": action.partner_id.id,
            "company_id": action.company_id.id,
            "action_id": action.id,
            "level_id": action.level_id.id,
            "give_level": True,
            "send_email": action.channel == "email",
            "send_letter": action.channel in LETTERS,
            "attach_statement": action.level_id.attach_statement,
        }

    @api.model
    def _previewable_channels(self):
        """The channels of a proposed action that this wizard previews (an addon adds its own)."""
        return ["email", *LETTERS]

    # ------------------------------------------------------------------
    # Preview
    # ------------------------------------------------------------------

    def action_refresh_preview(self):
        self._refresh_preview()
        return self._get_records_action(name=self.env._("Follow-up of %s", self.partner_id.name), target="new")

    def _refresh_preview(self):
        """Render the email and the letter as they would go out, in a savepoint rolled back afterwards: nothing
        of the preview stays."""
        self.ensure_one()
        with contextlib.closing(self.env.cr.savepoint()):
            actions = self._prepare_actions()
            values = self._render(actions)
        self.env.invalidate_all(flush=False)
        self.write(values)

    def _render(self, actions):
        """{preview fields} of these prepared actions: the email's subject and body, the letter's PDF."""
        values = {
            "recipient_email": False,
            "preview_subject": False,
            "preview_html": False,
            "preview_pdf": False,
            "preview_pdf_name": False,
        }
        email = actions.filtered(lambda action: action.channel == "email")[:1]
        if email:
            template = email.level_id.mail_template_id
            if not template:
                raise UserError(self.env._("The level “%s” has no email template.", email.level_id.name))
            subject = email.custom_subject or template._render_field("subject", email.ids, compute_lang=True)[email.id]
            body = template._render_field("body_html", email.ids, compute_lang=True)[email.id]
            attachments = email._preview_attachment_names()
            if attachments:
                body += Markup("<p class='o_collection_preview_attachments'>📎 %s</p>") % ", ".join(attachments)
            values.update(
                recipient_email=email.recipient_id.email or email.partner_id.email,
                preview_subject=subject,
                preview_html=body,
            )
        letter = actions.filtered(lambda action: action.channel in LETTERS)[:1]
        if letter:
            report = self.env.ref("recouvrement_creances.action_report_collection_letter")
            pdf = (
                report.with_company(letter.company_id)
                .with_context(lang=letter.partner_id.lang)
                ._render_qweb_pdf(report.report_name, letter.ids)[0]
            )
            values.update(
                preview_pdf=base64.b64encode(letter._letter_pdf_with_invoices(pdf)),
                preview_pdf_name=letter._letter_filename(),
            )
        return values

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------

    def action_send(self):
        """*Send and Print*: execute the follow-up as the review would; the letter comes back as a PDF to print."""
        self.ensure_one()
        self.company_id._collection_lock(wait=False)
        actions = self._prepare_actions()
        actions.action_execute()
        letter = actions.filtered(lambda action: action.channel in LETTERS and action.letter_attachment_id)[:1]
        if letter:
            return {
                "type": "ir.actions.act_url",
                "url": f"/web/content/{letter.letter_attachment_id.id}?download=true",
                "target": "new",
            }
        return {"type": "ir.actions.act_window_close"}

    def _prepare_actions(self):
        """The proposed actions this follow-up sends, with what the user wrote: the action under review, or a run
        of this debtor with one action per chosen channel."""
        if not self.level_id:
            raise UserError(self.env._("Choose the level whose text this follow-up uses."))
        if not self._channels():
            raise UserError(self.env._("Choose how to send this follow-up: by email, by letter or both."))
        actions = self.action_id
        if not actions:
            run = self.env["recouvrement.run"].create(
                {"company_id": self.company_id.id, "partner_ids": [fields.Command.set(self.partner_id.ids)]}
            )
            vals_list = run._prepare_manual_action_vals(self.level_id, self._channels(), self.give_level)
            if not vals_list:
                raise UserError(
                    self.env._("%s owes nothing at the moment: there is nothing to follow up.", self.partner_id.name)
                )
            actions = self.env["recouvrement.action"]._create_proposals(vals_list)
            run.state = "proposed"
        actions.sudo().write(
            {
                "is_manual": not self.action_id,
                "custom_subject": (self.subject or "").strip() or False,
                "custom_text": (self.custom_text or "").strip() or False,
                "attach_invoices": self.attach_invoices,
                "attach_statement": self.attach_statement,
            }
        )
        return actions

    def _channels(self):
        """The channels chosen, in the action's order (an addon adds its own, e.g. SMS)."""
        return [
            *(["email"] if self.send_email else []),
            *(["letter"] if self.send_letter else []),
            *self._other_channels(),
        ]

    def _other_channels(self):
        """Channels an addon adds to the wizard."""
        return []
