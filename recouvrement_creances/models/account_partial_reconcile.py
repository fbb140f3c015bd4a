from odoo import api, models


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        # a payment may end the holds of its customers: their overdue invoices or their excess over the limit
        lines = (partials.debit_move_id | partials.credit_move_id).filtered(
            lambda line: line.account_type == "asset_receivable" and line.partner_id
        )
        for company, company_lines in lines.grouped("company_id").items():
            self.env["recouvrement.credit.hold"].with_company(company)._sync_partners(company_lines.partner_id)
        return partials
