from odoo import Command, api, fields, models

PORTAL_EVENTS = [
    ("payment", "Online Payment"),
    ("plan", "Payment Plan Proposed"),
    ("signature", "Payment Plan Signed"),
    ("dispute", "Dispute Declared"),
    ("dispute_message", "Dispute Message"),
    ("promise", "Promise to Pay"),
]


class RecouvrementAction(models.Model):
    """What the debtor does on the portal, logged as done collection actions, and the link to the debtor's page."""

    _inherit = "recouvrement.action"

    portal_event = fields.Selection(PORTAL_EVENTS, string="Done on the Portal", readonly=True)
    portal_url = fields.Char(
        string="Debtor Portal Link", compute="_compute_portal_url", help="The debtor's page, sent in the reminders."
    )
    portal_ip = fields.Char(string="IP Address", readonly=True)

    def _compute_portal_url(self):
        """The link to the debtor's page, without login: one per debtor and company, created when needed."""
        for company, actions in self.grouped("company_id").items():
            links = self.env["recouvrement.portal.access"].with_company(company)._for_partners(actions.partner_id)
            for action in actions:
                action.portal_url = links[action.partner_id.commercial_partner_id].url

    # ------------------------------------------------------------------
    # Debtor portal
    # ------------------------------------------------------------------

    @api.model
    def _log_portal(self, partner, event, content, moves=None, ip_address=None, currency=None):
        """Log what the debtor did on the portal as a done collection action of the current company: the
        invoices concerned with what they owed at that moment, the content and the IP address."""
        moves = moves or self.env["account.move"]
        today = fields.Date.context_today(self)
        action = self.sudo().create(
            {
                "company_id": self.env.company.id,
                "partner_id": partner.commercial_partner_id.id,
                "currency_id": (currency or moves.currency_id[:1] or self.env.company.currency_id).id,
                "channel": "portal",
                "portal_event": event,
                "portal_ip": ip_address,
                "date": today,
                "note": content,
                "line_ids": [
                    Command.create(
                        {
                            "move_id": move.id,
                            "date_due": move.invoice_date_due,
                            "days_overdue": max((today - move.invoice_date_due).days, 0)
                            if move.invoice_date_due
                            else 0,
                            "amount_residual": move.amount_residual_signed,
                        }
                    )
                    for move in moves
                ],
            }
        )
        action.write({"state": "done", "done_date": fields.Datetime.now(), "done_user_id": self.env.uid})
        action._seal_executed()
        return action
