import uuid

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.http import request
from odoo.tools import html2plaintext

from ..tools.text import text_as_html
from .recouvrement_portal import DISPUTE_MAX_FILES


class RecouvrementDispute(models.Model):
    """A debtor contests one or more invoices. While it is open, its invoices are left out of the collection
    run; the collector answers it in its chatter, which the debtor reads on the portal."""

    _name = "recouvrement.dispute"
    _description = "Invoice Dispute"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin", "recouvrement.input.mixin"]
    _order = "create_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company, index=True
    )
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True, index=True)
    move_ids = fields.Many2many(
        "account.move",
        "recouvrement_dispute_move_rel",
        "dispute_id",
        "move_id",
        string="Invoices",
        required=True,
        readonly=True,
        check_company=True,
    )
    reason_id = fields.Many2one("recouvrement.dispute.reason", required=True, readonly=True)
    description = fields.Text(string="Message", readonly=True)
    state = fields.Selection(
        [("open", "Open"), ("resolved", "Resolved")], default="open", required=True, readonly=True, tracking=True
    )
    user_id = fields.Many2one("res.users", string="Collector", tracking=True)
    resolution = fields.Text()
    # the debtor's link under which the chatter's token was last handed out: the token works while it is valid
    portal_access_id = fields.Many2one("recouvrement.portal.access", readonly=True, copy=False, index="btree_not_null")

    @api.depends("partner_id", "reason_id")
    def _compute_name(self):
        for dispute in self:
            # stored: no words, so that it reads the same in every language
            dispute.name = f"{dispute.partner_id.name or ''} – {dispute.reason_id.name or ''}"

    def _compute_access_url(self):
        for dispute in self:
            dispute.access_url = f"/my/recouvrement/dispute/{dispute.id}"

    @api.constrains("move_ids", "partner_id")
    def _check_invoices(self):
        """An open dispute is about the customer's own invoices still to be paid."""
        for dispute in self.filtered(lambda dispute: dispute.state == "open"):
            dispute._input_check_invoices(dispute.move_ids, dispute.partner_id)

    @api.model_create_multi
    def create(self, vals_list):
        disputes = super().create(vals_list)
        disputes._block_invoices()
        return disputes

    def _block_invoices(self):
        """The invoices leave the collection run while the dispute is open."""
        for dispute in self:
            reason = dispute.reason_id.name + (f": {dispute.description}" if dispute.description else "")
            dispute.move_ids.sudo()._collection_put_in_dispute(reason)

    def _schedule_collector_activity(self):
        """A to-do for the customer's collector (or the responsible of the dispute) to answer it."""
        for dispute in self:
            user = dispute.user_id or dispute.partner_id.with_company(dispute.company_id).collection_user_id
            dispute.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Answer the dispute of %s", dispute.partner_id.name),
                note=text_as_html(dispute.description),
                user_id=user.id or self.env.ref("base.user_admin").id,
            )

    def _message_post_after_hook(self, message, msg_vals):
        """A message of the debtor (from the dispute's page on the portal) is logged as a portal action."""
        result = super()._message_post_after_hook(message, msg_vals)
        logged = self.env.context.get("recouvrement_portal_logged")  # the declaration logs itself
        if message.message_type == "comment" and message.author_id == self.partner_id and not logged:
            self.env["recouvrement.action"].with_company(self.company_id)._log_portal(
                self.partner_id,
                "dispute_message",
                text_as_html(html2plaintext(message.body or "")),
                self.move_ids,
                request.httprequest.remote_addr if request else None,
            )
        return result

    # ------------------------------------------------------------------
    # The debtor's chatter on the portal
    # ------------------------------------------------------------------

    def _portal_chatter_token(self, link):
        """The token of the dispute's chatter for a page opened through ``link`` (empty: by a logged-in
        debtor). Another link gets a new token, so that a token handed out under a link revoked or expired
        never opens the chatter again."""
        self.ensure_one()
        dispute = self.sudo()
        if dispute.portal_access_id != link or not dispute.access_token:
            dispute.write({"portal_access_id": link.id, "access_token": str(uuid.uuid4())})
        return dispute.access_token

    def _portal_debtor_has_access(self):
        """Whether the debtor behind a token of the chatter may still use it: a logged-in user of the
        customer, or the holder of the link it was handed out under, while that link is valid."""
        self.ensure_one()
        user = self.env.user
        if not user._is_public() and user.partner_id.commercial_partner_id == self.partner_id:
            return True
        return bool(self.sudo().portal_access_id.is_valid)

    @api.model
    def _get_thread_with_access(self, thread_id, *, hash=None, pid=None, token=None, **kwargs):
        thread = super()._get_thread_with_access(thread_id, hash=hash, pid=pid, token=token, **kwargs)
        if thread and not self.env.user._is_internal() and not thread._portal_debtor_has_access():
            return self.browse()
        return thread

    def message_post(self, **kwargs):
        """The debtor's messages obey the dispute form's limits: at most DISPUTE_MAX_FILES files each (their
        size and type are checked when they are uploaded)."""
        if not self.env.user._is_internal() and len(kwargs.get("attachment_ids") or ()) > DISPUTE_MAX_FILES:
            raise ValidationError(self.env._("Attach at most %s files.", DISPUTE_MAX_FILES))
        return super().message_post(**kwargs)

    def action_resolve(self):
        """The dispute is settled: its invoices go back to the collection run, unless another open dispute
        still covers them."""
        if self.filtered(lambda dispute: dispute.state != "open"):
            raise UserError(self.env._("Only an open dispute can be resolved."))
        self.write({"state": "resolved"})
        still = self.search([("state", "=", "open"), ("move_ids", "in", self.move_ids.ids)]).move_ids
        released = self.move_ids - still
        released.write({"collection_dispute": False, "collection_dispute_reason": False})
        self.activity_feedback(["mail.mail_activity_data_todo"])
