from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import UserError


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
            invoices._message_log_batch(bodies=dict.fromkeys(invoices.ids, body))
        return {"type": "ir.actions.act_window_close"}
