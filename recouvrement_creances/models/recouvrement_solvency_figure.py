from odoo import api, fields, models
from odoo.exceptions import ValidationError


class RecouvrementSolvencyFigure(models.Model):
    """The financial figures of a customer for one financial year, as the company learnt them (published
    accounts, a credit report), and the ratios that follow."""

    _name = "recouvrement.solvency.figure"
    _inherit = ["recouvrement.input.mixin"]
    _description = "Customer Financial Figures"
    _order = "date desc, id desc"

    solvency_id = fields.Many2one("recouvrement.solvency", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="solvency_id.company_id", store=True)
    currency_id = fields.Many2one(related="solvency_id.currency_id")
    date = fields.Date(string="Year End", required=True)
    source = fields.Char(help="Where the figures come from: published accounts, a credit report…")
    turnover = fields.Monetary()
    equity = fields.Monetary()
    net_result = fields.Monetary()
    debt = fields.Monetary(string="Financial Debt")
    net_margin = fields.Float(string="Net Margin (%)", compute="_compute_ratios", digits=(16, 1))
    equity_ratio = fields.Float(
        string="Financial Autonomy (%)",
        compute="_compute_ratios",
        digits=(16, 1),
        help="Equity / (equity + financial debt).",
    )
    gearing = fields.Float(compute="_compute_ratios", digits=(16, 2), help="Financial debt / equity.")

    @api.depends("turnover", "equity", "net_result", "debt")
    def _compute_ratios(self):
        for figure in self:
            funds = figure.equity + figure.debt
            figure.net_margin = 100 * figure.net_result / figure.turnover if figure.turnover else 0.0
            figure.equity_ratio = 100 * figure.equity / funds if funds > 0 else 0.0
            figure.gearing = figure.debt / figure.equity if figure.equity > 0 else 0.0

    @api.constrains("date", "turnover", "debt")
    def _check_figures(self):
        today = fields.Date.context_today(self)
        for figure in self:
            if figure.date > today:
                raise ValidationError(self.env._("Financial figures cannot be dated in the future (%s).", figure.date))
            if figure.turnover < 0 or figure.debt < 0:
                raise ValidationError(self.env._("A turnover or a debt cannot be negative."))
