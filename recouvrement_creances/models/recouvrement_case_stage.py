from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class RecouvrementCaseStage(models.Model):
    """A step of the contentious procedure. A stage may carry a deadline rule: the time the law leaves to
    act once a case enters it (6 months to serve an order, 1 month to oppose it...)."""

    _name = "recouvrement.case.stage"
    _inherit = ["recouvrement.input.mixin"]
    _description = "Contentious Case Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    fold = fields.Boolean(string="Folded in Kanban")
    closing = fields.Selection(
        [("recovered", "Recovered"), ("irrecoverable", "Irrecoverable")],
        string="Closes the Case",
        help="A case in this stage is closed: recovered (nothing may remain outstanding) or irrecoverable.",
    )
    insolvency = fields.Boolean(
        string="Collective Proceedings",
        help="A stage of the claim declared in collective proceedings: only the cases of collective proceedings "
        "use it (with the closing stages); the other cases use the other stages.",
    )
    interrupts_prescription = fields.Boolean(
        help="Entering this stage is a court claim or an enforcement measure: it interrupts the prescription of "
        "the case's invoices (Code civil 2241, 2244).",
    )
    prescription_years = fields.Integer(
        string="Prescription (years)",
        help="From this stage the claim is prescribed after this many years instead of the debt's own period, "
        "e.g. 10 years to enforce an enforceable title (CPCE L111-4).",
    )
    deadline_months = fields.Integer(string="Deadline (months)")
    deadline_days = fields.Integer(string="Deadline (days)")
    deadline_name = fields.Char(
        string="Deadline For",
        translate=True,
        help="What must be done by the deadline, e.g. Serve the order on the debtor.",
    )
    description = fields.Text(translate=True)

    _deadline_positive = models.Constraint(
        "CHECK (deadline_months >= 0 AND deadline_days >= 0)", "A stage's deadline cannot be negative."
    )

    @api.model
    def _input_bounds(self):
        # checked before PostgreSQL's own check of the deadline, whose message is not the user's language
        return {
            **super()._input_bounds(),
            "deadline_months": (0, 120),
            "deadline_days": (0, 3650),
            "prescription_years": (0, 30),
        }

    @api.constrains("deadline_months", "deadline_days", "deadline_name")
    def _check_deadline_name(self):
        for stage in self:
            if stage._has_deadline() and not stage.deadline_name:
                raise ValidationError(
                    self.env._("Say what must be done by the deadline of the stage “%(stage)s”.", stage=stage.name)
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_if_unused(self):
        used = self.env["recouvrement.case"].sudo().search_count([("stage_id", "in", self.ids)], limit=1)
        if used:
            raise UserError(self.env._("This stage is used by cases: archive it instead of deleting it."))

    def _has_deadline(self):
        self.ensure_one()
        return bool(self.deadline_months or self.deadline_days)

    def _deadline_from(self, start):
        """The deadline of a case that entered this stage on ``start``, or False without a rule."""
        self.ensure_one()
        if not start or not self._has_deadline():
            return False
        return start + relativedelta(months=self.deadline_months, days=self.deadline_days)
