from odoo import fields, models

from .recouvrement_rate import ECB_CHECKED_UNTIL


# the settings, not a wizard: the input mixin only makes pylint-odoo miss the "res.config.settings" string
class ResConfigSettings(models.TransientModel):  # pylint: disable=no-wizard-in-models
    _name = "res.config.settings"
    _inherit = ["res.config.settings", "recouvrement.input.mixin"]

    collection_auto_run = fields.Boolean(related="company_id.collection_auto_run", readonly=False)
    collection_hold_on_limit = fields.Boolean(related="company_id.collection_hold_on_limit", readonly=False)
    collection_sales_digest = fields.Boolean(related="company_id.collection_sales_digest", readonly=False)
    collection_b2b_policy_id = fields.Many2one(related="company_id.collection_b2b_policy_id", readonly=False)
    collection_b2c_policy_id = fields.Many2one(related="company_id.collection_b2c_policy_id", readonly=False)
    collection_penalty_account_id = fields.Many2one(related="company_id.collection_penalty_account_id", readonly=False)
    collection_indemnity_account_id = fields.Many2one(
        related="company_id.collection_indemnity_account_id", readonly=False
    )
    collection_invoice_mention = fields.Boolean(related="company_id.collection_invoice_mention", readonly=False)
    collection_legal_form = fields.Char(related="company_id.collection_legal_form", readonly=False)
    collection_trade_register = fields.Char(related="company_id.collection_trade_register", readonly=False)
    collection_legal_cost_fixed = fields.Monetary(
        related="company_id.collection_legal_cost_fixed", readonly=False, currency_field="currency_id"
    )
    collection_legal_cost_rate = fields.Float(related="company_id.collection_legal_cost_rate", readonly=False)
    collection_agency_rate = fields.Float(related="company_id.collection_agency_rate", readonly=False)
    collection_doubtful_account_id = fields.Many2one(
        related="company_id.collection_doubtful_account_id", readonly=False
    )
    collection_impairment_account_id = fields.Many2one(
        related="company_id.collection_impairment_account_id", readonly=False
    )
    collection_impairment_expense_account_id = fields.Many2one(
        related="company_id.collection_impairment_expense_account_id", readonly=False
    )
    collection_impairment_income_account_id = fields.Many2one(
        related="company_id.collection_impairment_income_account_id", readonly=False
    )
    collection_write_off_account_id = fields.Many2one(
        related="company_id.collection_write_off_account_id", readonly=False
    )
    collection_bodacc_fetch = fields.Boolean(
        string="Fetch the BODACC Daily",
        config_parameter="recouvrement_creances.bodacc_fetch",
        help="Each day, fetch the announcements of collective proceedings from the address below and apply them to "
        "the customers they match.",
    )
    collection_bodacc_url = fields.Char(
        string="BODACC Address",
        config_parameter="recouvrement_creances.bodacc_url",
        help="The address of a JSON or CSV export of the BODACC's announcements of collective proceedings. "
        "{since} is replaced by the day before the last fetch, {offset} moves through the pages of the API.",
    )
    collection_ecb_checked_until = fields.Date(
        string="ECB Rates Known Until",
        help="Last day up to which the ECB rate table is complete. A half-year starting later has no ECB "
        "reference rate: its penalties are not computed until you check the table and move this date.",
    )

    def get_values(self):
        values = super().get_values()
        values["collection_ecb_checked_until"] = self.env["recouvrement.rate"]._ecb_checked_until()
        return values

    def set_values(self):
        result = super().set_values()
        self.env["ir.config_parameter"].sudo().set_param(
            ECB_CHECKED_UNTIL, fields.Date.to_string(self.collection_ecb_checked_until) or False
        )
        return result
