from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from ..tools import days_between, next_level

# Collection data of an invoice: only collection users change it.
COLLECTION_FIELDS = {"collection_dispute", "collection_dispute_reason", "collection_dispute_until"}


class AccountMove(models.Model):
    _inherit = "account.move"

    collection_level_id = fields.Many2one(
        "recouvrement.level",
        copy=False,
        index="btree_not_null",
        readonly=True,
        help="Highest collection level this invoice has had.",
    )
    collection_last_action_date = fields.Date(string="Last Collection Action", copy=False, readonly=True)
    collection_dispute = fields.Boolean(
        string="In Dispute",
        copy=False,
        tracking=True,
        help="The customer contests this invoice: it is left out of collection until resolved.",
    )
    collection_dispute_reason = fields.Text(string="Dispute Reason", copy=False)
    collection_dispute_until = fields.Date(
        string="Dispute Block Until",
        copy=False,
        help="Collection resumes after this date even if the dispute is not marked resolved.",
    )
    collection_action_line_ids = fields.One2many(
        "recouvrement.action.line",
        "move_id",
        string="Collection History",
        readonly=True,
        groups="recouvrement_creances.group_recouvrement_agent",
    )
    collection_promise_ids = fields.Many2many(
        "recouvrement.promise",
        "recouvrement_promise_move_rel",
        "move_id",
        "promise_id",
        string="Promises to Pay",
        readonly=True,
        copy=False,
        groups="recouvrement_creances.group_recouvrement_agent",
    )
    collection_days_overdue = fields.Integer(string="Days Overdue", compute="_compute_collection_days_overdue")
    collection_next_level_id = fields.Many2one(
        "recouvrement.level", string="Next Collection Level", compute="_compute_collection_next"
    )
    collection_next_date = fields.Date(string="Next Collection Date", compute="_compute_collection_next")

    @api.depends("invoice_date_due", "payment_state")
    @api.depends_context("date")
    def _compute_collection_days_overdue(self):
        today = self.env.context.get("date") or fields.Date.context_today(self)
        for move in self:
            open_invoice = move.is_sale_document() and move.payment_state in ("not_paid", "partial")
            move.collection_days_overdue = (
                max(days_between(move.invoice_date_due, today), 0) if open_invoice and move.invoice_date_due else 0
            )

    @api.depends("collection_level_id", "invoice_date_due", "partner_id")
    def _compute_collection_next(self):
        for move in self:
            level, date = move._collection_next_step() or (False, False)
            move.collection_next_level_id = level
            move.collection_next_date = date

    def _collection_next_step(self):
        """(level, date) of the next collection level this open invoice will reach, or None."""
        self.ensure_one()
        if self.move_type != "out_invoice" or self.state != "posted" or not self.invoice_date_due:
            return None
        if self.payment_state not in ("not_paid", "partial") or self.no_followup:
            return None
        policy = self.partner_id.with_company(self.company_id)._collection_policy()
        current = self.collection_level_id.offset_days if self.collection_level_id else None
        step = next_level(((level.offset_days, level) for level in policy.level_ids), current) if policy else None
        if not step:
            return None
        offset, level = step
        return level, fields.Date.add(self.invoice_date_due, days=offset)

    def _collection_ensure_access_tokens(self):
        """Give these invoices their portal access token, as get_portal_url() would one by one, in one
        statement: reminders link every invoice they list."""
        missing = self.filtered(lambda move: not move.access_token)
        if missing:
            self.env.cr.execute(
                SQL(
                    "UPDATE account_move SET access_token = gen_random_uuid()::text "
                    "WHERE id = ANY(%s) AND access_token IS NULL",
                    missing.ids,
                )
            )
            missing.invalidate_recordset(["access_token"])

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_collection_exclude(self):
        """Open the wizard that excludes these invoices from collection, with a reason."""
        return self._collection_block_wizard("exclude")

    def action_collection_dispute(self):
        """Open the wizard that puts these invoices in dispute, with a reason."""
        return self._collection_block_wizard("dispute")

    def _collection_block_wizard(self, mode):
        invoices = self.filtered(lambda m: m.move_type == "out_invoice")
        wizard = self.env["recouvrement.block.wizard"]
        return {
            "type": "ir.actions.act_window",
            "name": dict(wizard._fields["mode"]._description_selection(self.env))[mode],
            "res_model": wizard._name,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_mode": mode, "default_move_ids": invoices.ids},
        }

    def write(self, vals):
        if (
            COLLECTION_FIELDS & vals.keys()
            and not self.env.su
            and not self.env.user.has_group("recouvrement_creances.group_recouvrement_agent")
        ):
            raise AccessError(self.env._("Only collection users may put an invoice in dispute."))
        return super().write(vals)
