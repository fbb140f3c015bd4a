from odoo import fields, models


class RecouvrementAction(models.Model):
    """Escalation: the invoices handed over to a contentious case (legal procedure or collection agency)."""

    _inherit = "recouvrement.action"

    case_id = fields.Many2one("recouvrement.case", string="Contentious Case", readonly=True, index="btree_not_null")

    def _execute_escalation(self):
        """Hand the invoices over to a contentious case (legal procedure or agency, as the level says); the
        responsible is asked to decide what comes next."""
        for action in self:
            # the debts due, not the credits nor the invoices not due yet
            moves = action.line_ids.filtered(lambda line: not line.excluded).move_id.filtered(
                lambda m, on_date=action.date: m.move_type == "out_invoice"
                and m.amount_residual > 0
                and m.invoice_date_due
                and m.invoice_date_due < on_date
                and not m.collection_case_id
            )
            if moves:
                case_type = "agency" if action.level_id.escalation == "agency" else "legal"
                action.case_id = self.env["recouvrement.case"]._open_for_moves(moves, case_type, action.date)
        self._schedule_activity(
            "recouvrement_creances.mail_activity_collection_escalation",
            lambda action: action.env._(
                "Decide how to pursue the case %(case)s of %(partner)s",
                case=action.case_id.name or "",
                partner=action.partner_id.name,
            ),
        )
