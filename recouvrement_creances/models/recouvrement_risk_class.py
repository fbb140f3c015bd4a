from odoo import api, fields, models
from odoo.exceptions import ValidationError


class RecouvrementRiskClass(models.Model):
    """A risk class of debtors (A: safest .. E: riskiest), with what experience says is recovered from them: the
    contentious cases' decision aid weighs the amounts claimed by these rates."""

    _name = "recouvrement.risk.class"
    _description = "Debtor Risk Class"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, size=2)
    sequence = fields.Integer(default=10)
    legal_recovery_rate = fields.Float(
        string="Recovered in Court (%)", help="Share of the amount claimed usually recovered by a legal procedure."
    )
    agency_recovery_rate = fields.Float(
        string="Recovered by an Agency (%)", help="Share of the amount usually recovered by a collection agency."
    )
    min_days_overdue = fields.Integer(
        string="From Days Overdue",
        help="Without a payment score, a case takes the class of the oldest days overdue of its invoices.",
    )

    _code_unique = models.Constraint("UNIQUE (code)", "Each risk class has its own code.")

    @api.constrains("legal_recovery_rate", "agency_recovery_rate")
    def _check_rates(self):
        for risk_class in self:
            for rate in (risk_class.legal_recovery_rate, risk_class.agency_recovery_rate):
                if not 0 <= rate <= 100:
                    raise ValidationError(self.env._("A recovery rate is between 0 and 100 %."))

    def _for_days_overdue(self, days):
        """Among these classes, the one of a debt ``days`` overdue: the last whose threshold it reached."""
        ordered = self.sorted("min_days_overdue")
        return ordered.filtered(lambda c: c.min_days_overdue <= days)[-1:] or ordered[:1]
