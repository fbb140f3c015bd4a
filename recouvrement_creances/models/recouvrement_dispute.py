from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.http import request


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
                note=dispute.description,
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
                message.body,
                self.move_ids,
                request.httprequest.remote_addr if request else None,
            )
        return result

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
