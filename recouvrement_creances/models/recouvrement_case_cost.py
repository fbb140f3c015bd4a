from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date


class RecouvrementCaseCost(models.Model):
    """A cost incurred on a contentious case: court fees, the commissaire de justice, the lawyer."""

    _name = "recouvrement.case.cost"
    _inherit = ["recouvrement.input.mixin"]
    _description = "Contentious Case Cost"
    _order = "date, id"

    case_id = fields.Many2one("recouvrement.case", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="case_id.company_id", store=True)
    currency_id = fields.Many2one(related="case_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today)
    kind = fields.Selection(
        [
            ("court", "Court Fees"),
            ("commissaire", "Commissaire de Justice"),
            ("lawyer", "Lawyer"),
            ("agency", "Collection Agency"),
            ("other", "Other"),
        ],
        required=True,
        default="court",
    )
    name = fields.Char(string="Description", required=True)
    amount = fields.Monetary(required=True)

    @api.constrains("date")
    def _check_date(self):
        today = fields.Date.context_today(self)
        for cost in self.filtered(lambda cost: cost.date > today):
            raise ValidationError(
                self.env._(
                    "The costs “%(cost)s” of the case %(case)s cannot be dated in the future (%(date)s).",
                    cost=cost.name,
                    case=cost.case_id.name,
                    date=format_date(self.env, cost.date),
                )
            )

    @api.constrains("amount")
    def _check_amount(self):
        if self.filtered(lambda cost: cost.currency_id.compare_amounts(cost.amount, 0) <= 0):
            raise ValidationError(self.env._("A cost must be more than zero."))
