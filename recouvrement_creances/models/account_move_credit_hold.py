from collections import defaultdict

from odoo import models


class AccountMove(models.Model):
    """Credit hold: a customer on hold gets new invoices posted by collection managers only."""

    _inherit = "account.move"

    # ------------------------------------------------------------------
    # Credit hold
    # ------------------------------------------------------------------

    def _post(self, soft=True):
        self._collection_check_credit_hold()
        posted = super()._post(soft=soft)
        for company, moves in posted.filtered(lambda m: m.move_type == "out_invoice").grouped("company_id").items():
            self.env["recouvrement.credit.hold"].with_company(company)._sync_partners(moves.commercial_partner_id)
        return posted

    def _collection_check_credit_hold(self):
        """New customer invoices of a customer on credit hold are posted by collection managers only (the
        penalty and plan interest invoices of the collection itself are not new credit)."""
        if self.env.context.get("recouvrement_no_credit_hold"):
            return
        invoices = self.filtered(lambda m: m.move_type == "out_invoice" and m.state == "draft")
        for company, moves in invoices.grouped("company_id").items():
            extra = defaultdict(float)
            for move in moves:
                extra[move.commercial_partner_id] += move.amount_total_signed
            passed = moves.commercial_partner_id.with_company(company)._collection_check_new_credit(
                extra,
                lambda customer, causes: self.env._(
                    "%(customer)s is on credit hold (%(causes)s): only a collection manager may post a new "
                    "invoice for this customer. Ask for the customer to be released, or for a manager to "
                    "post it.",
                    customer=customer.display_name,
                    causes=causes,
                ),
            )
            for partner, causes in passed.items():
                held = moves.filtered(lambda m, p=partner: m.commercial_partner_id == p)
                message = self.env._("Posted by a collection manager despite the credit hold (%s).", causes)
                held._message_log_batch(bodies=dict.fromkeys(held.ids, message))
