from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_datetime

HOLD_CAUSES = [("manual", "Set by Hand"), ("level", "Collection Level"), ("limit", "Credit Limit Exceeded")]


class RecouvrementCreditHold(models.Model):
    """One credit hold of a customer, from when it was set to when it was released: the log of holds.

    A hold set by hand lasts until a collector releases it. The others follow their cause: an open invoice at a
    collection level flagged "credit hold", or a total receivable above the credit limit. They are opened and
    closed when their cause appears or disappears (invoice posted, payment reconciled, level reached, nightly)."""

    _name = "recouvrement.credit.hold"
    _inherit = ["recouvrement.input.mixin"]
    _description = "Credit Hold"
    _order = "date_start desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, readonly=True, index=True
    )
    cause = fields.Selection(HOLD_CAUSES, required=True, default="manual", readonly=True)
    reason = fields.Char(help="Why the customer is on hold.")
    date_start = fields.Datetime(string="Held Since", default=fields.Datetime.now, readonly=True)
    user_start_id = fields.Many2one("res.users", string="Held by", default=lambda self: self.env.user, readonly=True)
    date_end = fields.Datetime(string="Released on", readonly=True, index=True)
    user_end_id = fields.Many2one("res.users", string="Released by", readonly=True)

    @api.constrains("cause", "reason")
    def _check_reason(self):
        if self.filtered(lambda hold: hold.cause == "manual" and not (hold.reason or "").strip()):
            raise ValidationError(self.env._("Say why you put this customer on credit hold."))

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for hold in self.filtered(lambda hold: hold.date_end and hold.date_start and hold.date_end < hold.date_start):
            raise ValidationError(
                self.env._(
                    "The credit hold of %(customer)s cannot be released (%(end)s) before it was set (%(start)s).",
                    customer=hold.partner_id.display_name,
                    end=format_datetime(self.env, hold.date_end),
                    start=format_datetime(self.env, hold.date_start),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        holds = super().create(vals_list)
        holds._log()
        return holds

    def _log(self, released=False):
        """Log these holds, or their release, in their customers' chatter."""
        causes = dict(self._fields["cause"]._description_selection(self.env))
        bodies = {}
        for hold in self:
            args = {"cause": causes[hold.cause], "reason": f" ({hold.reason})" if hold.reason else ""}
            if released:
                text = self.env._("Credit hold released: %(cause)s%(reason)s.", **args)
            else:
                text = self.env._("Credit hold: %(cause)s%(reason)s.", **args)
            bodies[hold.partner_id.id] = " ".join(filter(None, [bodies.get(hold.partner_id.id), text]))
        self.partner_id.sudo().with_context(collection_evidence=True)._message_log_batch(bodies=bodies)

    def action_release(self):
        """Release these holds (those set by hand: the others end with their cause)."""
        holds = self.filtered(lambda hold: not hold.date_end)
        if holds.filtered(lambda hold: hold.cause != "manual"):
            raise UserError(
                self.env._(
                    "This hold follows its cause: it ends by itself once the invoices are paid or the limit met."
                )
            )
        holds._close()
        return True

    def _close(self):
        self.sudo().write({"date_end": fields.Datetime.now(), "user_end_id": self.env.uid})
        self._log(released=True)

    @api.model
    def _open_holds(self, partners=None, manual=False):
        """The holds of the current company not released yet: those set by hand, or those that follow a cause,
        of ``partners`` (default: every customer)."""
        domain = [
            ("company_id", "=", self.env.company.id),
            ("cause", "=" if manual else "!=", "manual"),
            ("date_end", "=", False),
        ]
        if partners is not None:
            domain.append(("partner_id", "in", partners.ids))
        return self.search(domain)

    @api.model
    def _sync_partners(self, partners):
        """Open and close the level and limit holds of these customers in the current company, after what
        changed their cause."""
        partners = partners.commercial_partner_id
        if not partners:
            return
        company = self.env.company
        live = partners._collection_hold_causes()
        open_holds = self.sudo()._open_holds(partners)
        current = {(hold.partner_id, hold.cause) for hold in open_holds}
        open_holds.filtered(lambda hold: hold.cause not in live[hold.partner_id])._close()
        self.sudo().create(
            [
                {"partner_id": partner.id, "company_id": company.id, "cause": cause, "reason": detail}
                for partner in partners
                for cause, detail in live[partner].items()
                if cause != "manual" and (partner, cause) not in current
            ]
        )

    @api.model
    def _sync_company(self):
        """The holds of every customer of the current company that is held or may be."""
        partners = self.env["res.partner"].search(
            ["|", ("credit_limit", ">", 0), ("collection_level_id.credit_hold", "=", True)]
        )
        self._sync_partners(partners | self.sudo()._open_holds().partner_id)
