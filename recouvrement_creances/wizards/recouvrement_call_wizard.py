from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html

from ..models.recouvrement_action_call import CALL_OUTCOMES


class RecouvrementCallWizard(models.TransientModel):
    _name = "recouvrement.call.wizard"
    _inherit = ["recouvrement.input.mixin"]
    _description = "Collection Call Outcome"

    action_id = fields.Many2one("recouvrement.action", required=True, readonly=True)
    partner_id = fields.Many2one(related="action_id.partner_id")
    currency_id = fields.Many2one(related="action_id.currency_id")
    outcome = fields.Selection(CALL_OUTCOMES, required=True)
    promise_date = fields.Date(string="Promised Date")
    promise_amount = fields.Monetary(string="Promised Amount")
    dispute_reason = fields.Text()
    note = fields.Text()

    @api.onchange("outcome")
    def _onchange_outcome(self):
        if self.outcome == "promise" and not self.promise_amount:
            self.promise_amount = self.action_id.amount_total

    def action_confirm(self):
        self.ensure_one()
        action = self.action_id
        if action.channel != "phone" or action.state != "pending":
            raise UserError(self.env._("This call already has an outcome."))
        # the call's own date, time and caller: the call log of the evidence file shows them
        vals = {
            "call_outcome": self.outcome,
            "state": "done",
            "done_date": fields.Datetime.now(),
            "done_user_id": self.env.user.id,
            "note": plaintext2html(self.note) if self.note else action.note,
        }
        invoices = action.line_ids.filtered(lambda line: not line.excluded and line.amount_residual > 0).move_id
        if self.outcome == "promise":
            if not self.promise_date or not self.promise_amount:
                raise UserError(self.env._("A promise to pay needs a date and an amount."))
            vals["promise_id"] = (
                self.env["recouvrement.promise"]
                .create(
                    {
                        "company_id": action.company_id.id,
                        "partner_id": action.partner_id.id,
                        "currency_id": action.currency_id.id,
                        "move_ids": [fields.Command.set(invoices.ids)],
                        "amount": self.promise_amount,
                        "date": self.promise_date,
                        "action_id": action.id,
                        "note": self.note,
                    }
                )
                .id
            )
        elif self.outcome == "dispute":
            if not self.dispute_reason:
                raise UserError(self.env._("Give the reason of the dispute."))
            invoices.sudo()._collection_put_in_dispute(self.dispute_reason)
        action.sudo().write(vals)
        summary = self._summary()
        action.activity_ids.with_context(recouvrement_call_logged=True).action_feedback(feedback=summary)
        # the call log in the customer's and invoices' chatters is evidence
        action.partner_id.with_context(collection_evidence=True)._message_log(body=Markup("<p>%s</p>") % summary)
        invoices.with_context(collection_evidence=True)._message_log_batch(
            bodies={move.id: Markup("<p>%s</p>") % summary for move in invoices}
        )
        if self.outcome == "plan":  # go on with the plan agreed on the phone
            return self.env["recouvrement.payment.plan.wizard"]._get_records_action(
                name=self.env._("Negotiate a Payment Plan"),
                target="new",
                context={"active_model": "account.move", "active_ids": invoices.ids},
            )
        return {"type": "ir.actions.act_window_close"}

    def _summary(self):
        outcomes = dict(self._fields["outcome"]._description_selection(self.env))
        parts = [self.env._("Call outcome: %(outcome)s.", outcome=outcomes[self.outcome])]
        if self.outcome == "promise":
            parts.append(
                self.env._(
                    "Promise to pay %(amount)s by %(date)s.",
                    amount=self.currency_id.format(self.promise_amount),
                    date=fields.Date.to_string(self.promise_date),
                )
            )
        if self.outcome == "dispute":
            parts.append(self.env._("Dispute: %(reason)s", reason=self.dispute_reason))
        if self.note:
            parts.append(self.note)
        return " ".join(parts)
