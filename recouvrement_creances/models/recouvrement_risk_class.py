from itertools import pairwise

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class RecouvrementRiskClass(models.Model):
    """A risk class of debtors (A: safest .. E: riskiest). A debtor's payment score puts it in a class; the class
    suggests its credit limit and payment terms, and tells what experience says is recovered from such debtors:
    the contentious cases' decision aid weighs the amounts claimed by these rates."""

    _name = "recouvrement.risk.class"
    _inherit = ["recouvrement.input.mixin"]
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

    min_score = fields.Integer(
        string="From Score", help="A debtor whose payment score (0-100) is at least this is in this class."
    )
    risk_weight = fields.Float(
        default=1.0,
        help="Weighs the overdue amount of this class's debtors in the dashboard's ranking of the top debtors.",
    )
    credit_limit_rate = fields.Float(
        string="Suggested Limit (% of Turnover)",
        digits=(5, 2),
        help="The credit limit suggested for a debtor of this class, as a share of its last annual turnover.",
    )
    payment_term_id = fields.Many2one(
        "account.payment.term",
        string="Proposed Payment Terms",
        help="The payment terms proposed to the debtors of this class.",
    )

    _code_unique = models.Constraint("UNIQUE (code)", "Each risk class has its own code.")

    @api.model
    def _input_bounds(self):
        return {**super()._input_bounds(), "risk_weight": (0, None)}

    @api.constrains("legal_recovery_rate", "agency_recovery_rate")
    def _check_rates(self):
        for risk_class in self:
            for rate in (risk_class.legal_recovery_rate, risk_class.agency_recovery_rate):
                if not 0 <= rate <= 100:
                    raise ValidationError(self.env._("A recovery rate is between 0 and 100 %."))

    @api.constrains("min_score", "min_days_overdue", "sequence", "credit_limit_rate")
    def _check_thresholds(self):
        for risk_class in self:
            if not 0 <= risk_class.min_score <= 100:
                raise ValidationError(self.env._("A score threshold is between 0 and 100."))
            if risk_class.min_days_overdue < 0 or risk_class.credit_limit_rate < 0:
                raise ValidationError(self.env._("The thresholds of a risk class cannot be negative."))
        ordered = self.search([("code", "!=", False)]).sorted(lambda c: (c.sequence, c.id))
        for safer, riskier in pairwise(ordered):
            if riskier.min_score >= safer.min_score:
                raise ValidationError(self._threshold_error("min_score", safer, riskier))
            if riskier.min_days_overdue <= safer.min_days_overdue:
                raise ValidationError(self._threshold_error("min_days_overdue", safer, riskier))

    def _threshold_error(self, name, safer, riskier):
        """The message of a threshold ``name`` out of order between a ``safer`` class and a ``riskier`` one."""
        args = {
            "safer": safer.code,
            "riskier": riskier.code,
            "safer_value": safer[name],
            "riskier_value": riskier[name],
        }
        if name == "min_score":
            return self.env._(
                "The score thresholds must decrease from the safest class to the riskiest: class %(riskier)s "
                "starts at %(riskier_value)s, not below class %(safer)s (%(safer_value)s).",
                **args,
            )
        return self.env._(
            "The days overdue thresholds must increase from the safest class to the riskiest: class %(riskier)s "
            "starts at %(riskier_value)s days, not after class %(safer)s (%(safer_value)s).",
            **args,
        )

    def write(self, vals):
        result = super().write(vals)
        if "min_score" in vals:
            # the files of scored customers follow the new thresholds
            solvencies = self.env["recouvrement.solvency"].sudo().search([("score_date", "!=", False)])
            for name in ("score_class_id", "risk_class_id"):
                self.env.add_to_compute(solvencies._fields[name], solvencies)
        return result

    def _for_score(self, score):
        """Among these classes, the one of a debtor scoring ``score``: the first whose threshold it reaches."""
        ordered = self.sorted("min_score", reverse=True)
        return ordered.filtered(lambda c: c.min_score <= score)[:1] or ordered[-1:]

    def _for_days_overdue(self, days):
        """Among these classes, the one of a debt ``days`` overdue: the last whose threshold it reached."""
        ordered = self.sorted("min_days_overdue")
        return ordered.filtered(lambda c: c.min_days_overdue <= days)[-1:] or ordered[:1]
