from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class RecouvrementActionLine(models.Model):
    _name = "recouvrement.action.line"
    _inherit = ["recouvrement.input.mixin"]
    _description = "Invoice of a Collection Action"
    _order = "action_id, date_due, id"

    action_id = fields.Many2one("recouvrement.action", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="action_id.company_id", store=True)
    currency_id = fields.Many2one(related="action_id.currency_id")
    move_id = fields.Many2one("account.move", string="Document", required=True, index=True, ondelete="restrict")
    move_type = fields.Selection(related="move_id.move_type")
    invoice_date = fields.Date(related="move_id.invoice_date")
    payment_reference = fields.Char(related="move_id.payment_reference")
    date_due = fields.Date(string="Due Date", readonly=True)
    days_overdue = fields.Integer(string="Days Late", readonly=True, help="Days past the due date on the action date.")
    amount_residual = fields.Monetary(
        string="Amount Due", readonly=True, help="Residual amount on the action date; negative for a credit."
    )
    level_id = fields.Many2one(
        "recouvrement.level",
        string="Level Reached",
        readonly=True,
        help="The level this invoice reached with this action; empty when the invoice is only listed.",
    )
    excluded = fields.Boolean(readonly=True)
    exclusion_reason = fields.Char(readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._check_action_proposed()
        return lines

    def write(self, vals):
        if not self.env.su:
            raise UserError(self.env._("The invoices of a collection action are evidence: exclude them instead."))
        self._check_action_proposed()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("The invoices of a collection action are evidence and cannot be removed."))

    def _check_action_proposed(self):
        if self.action_id.filtered(lambda action: action.state != "proposed"):
            raise UserError(self.env._("The invoices of an executed collection action cannot change."))

    def _exclude(self, reason):
        """Leave these invoices out of their proposed action and of its sibling actions (other channels)."""
        if not self.env.user.has_group("recouvrement_creances.group_recouvrement_manager"):
            raise AccessError(self.env._("Only a collection manager may exclude an invoice from a proposed action."))
        self._check_action_proposed()
        siblings = (
            self.sudo().search(
                [
                    ("action_id.run_id", "in", self.action_id.run_id.ids),
                    ("action_id.partner_id", "in", self.action_id.partner_id.ids),
                    ("action_id.state", "=", "proposed"),
                    ("move_id", "in", self.move_id.ids),
                ]
            )
            | self.sudo()
        )
        siblings.write({"excluded": True, "exclusion_reason": reason})
        for action, lines in siblings.grouped("action_id").items():
            action._message_log(
                body=self.env._(
                    "Invoices excluded from this action (%(reason)s): %(invoices)s",
                    reason=reason,
                    invoices=", ".join(lines.move_id.mapped("name")),
                )
            )
            if not action.line_ids.filtered(lambda line: not line.excluded and line.amount_residual > 0):
                action.with_env(self.env)._cancel(reason)
