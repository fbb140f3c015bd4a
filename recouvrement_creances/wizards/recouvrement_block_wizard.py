from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date


class RecouvrementBlockWizard(models.TransientModel):
    _name = "recouvrement.block.wizard"
    _inherit = ["recouvrement.input.mixin"]
    _description = "Exclude Invoices from Collection or Put them in Dispute"

    mode = fields.Selection(
        [("exclude", "Exclude from Collection"), ("dispute", "Put in Dispute")], required=True, default="dispute"
    )
    move_ids = fields.Many2many("account.move", string="Invoices", required=True)
    reason = fields.Text(required=True)
    date_until = fields.Date(string="Until", help="Optional: collection resumes after this date.")

    @api.constrains("mode", "move_ids")
    def _check_disputed_invoices(self):
        """Only an invoice still to be paid can be contested."""
        for wizard in self.filtered(lambda wizard: wizard.mode == "dispute"):
            closed = wizard.move_ids.filtered(
                lambda move: move.move_type != "out_invoice"
                or move.state != "posted"
                or move.payment_state not in ("not_paid", "partial")
            )
            if closed:
                raise ValidationError(
                    self.env._(
                        "Only posted customer invoices still to be paid can be put in dispute (refused: %(invoices)s).",
                        invoices=", ".join(closed.mapped("display_name")),
                    )
                )

    @api.constrains("date_until")
    def _check_date_until(self):
        today = fields.Date.context_today(self)
        for wizard in self.filtered(lambda wizard: wizard.date_until and wizard.date_until < today):
            raise ValidationError(
                self.env._(
                    "Collection would resume after %(date)s, a day already past: choose a day to come, or none.",
                    date=format_date(self.env, wizard.date_until),
                )
            )

    def action_confirm(self):
        self.ensure_one()
        invoices = self.move_ids.filtered(lambda move: move.move_type == "out_invoice" and move.state == "posted")
        if not invoices:
            raise UserError(self.env._("Select posted customer invoices."))
        if self.mode == "dispute":
            invoices._collection_put_in_dispute(self.reason, self.date_until)
        else:
            invoices.write({"no_followup": True})
            body = Markup("<p>%s</p>") % self.env._("Excluded from collection: %(reason)s", reason=self.reason)
            invoices.with_context(collection_evidence=True)._message_log_batch(bodies=dict.fromkeys(invoices.ids, body))
        return {"type": "ir.actions.act_window_close"}
