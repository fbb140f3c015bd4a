from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import UserError

CALL_OUTCOMES = [
    ("reached", "Reached"),
    ("no_answer", "No Answer"),
    ("promise", "Promise to Pay"),
    ("plan", "Payment Plan Agreed"),
    ("dispute", "Dispute"),
    ("wrong_number", "Wrong Number"),
]


class RecouvrementAction(models.Model):
    """Phone calls: the call scheduled for the collector, and its outcome."""

    _inherit = "recouvrement.action"

    call_outcome = fields.Selection(CALL_OUTCOMES, readonly=True)
    promise_id = fields.Many2one("recouvrement.promise", readonly=True)

    def _execute_phone(self):
        self._schedule_activity(
            "recouvrement_creances.mail_activity_collection_call",
            lambda action: action.env._("Call %(partner)s", partner=action.partner_id.name),
            note=lambda action: action._call_note(),
        )
        self.write({"state": "pending"})

    def _call_note(self):
        self.ensure_one()
        phones = ", ".join(filter(None, {self.partner_id.phone, self.partner_id._collection_recipient().phone}))
        return Markup("<p>%s</p>") % self.env._(
            "Phone: %(phones)s. Net due: %(amount)s.",
            phones=phones or self.env._("none"),
            amount=self.currency_id.format(self.amount_total),
        )

    # ------------------------------------------------------------------
    # Phone calls
    # ------------------------------------------------------------------

    def action_invoice_penalties(self):
        """Open *Invoice the Penalties* on this action's debtor and invoices."""
        self.ensure_one()
        return self.partner_id.action_collection_invoice_penalties() | {
            "context": {"active_model": self._name, "active_ids": self.ids}
        }

    def action_log_call(self):
        self.ensure_one()
        if self.channel != "phone" or self.state != "pending":
            raise UserError(self.env._("Only a scheduled phone call can get an outcome."))
        return (
            self.env["recouvrement.call.wizard"]
            .with_context(default_action_id=self.id)
            ._get_records_action(name=self.env._("Call Outcome"), target="new")
        )
