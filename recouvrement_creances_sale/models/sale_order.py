from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    collection_credit_hold = fields.Boolean(related="partner_id.collection_credit_hold", string="Credit Hold")
    collection_hold_reason = fields.Char(related="partner_id.collection_hold_reason")
    collection_amount_overdue = fields.Monetary(
        related="partner_id.collection_amount_overdue", currency_field="collection_currency_id"
    )
    collection_currency_id = fields.Many2one(related="partner_id.collection_currency_id")

    def action_confirm(self):
        self._collection_check_credit_hold()
        return super().action_confirm()

    def _collection_check_credit_hold(self):
        """Orders of a customer on credit hold are confirmed by collection managers only."""
        for company, orders in self.grouped("company_id").items():
            extra = {}
            for order in orders:
                partner = order.partner_id.commercial_partner_id
                extra[partner] = extra.get(partner, 0.0) + order._collection_amount_in_company_currency()
            orders.partner_id.with_company(company)._collection_check_new_credit(
                extra,
                lambda customer, causes: self.env._(
                    "%(customer)s is on credit hold (%(causes)s): only a collection manager may confirm a new order "
                    "for this customer.",
                    customer=customer.display_name,
                    causes=causes,
                ),
            )

    def _collection_amount_in_company_currency(self):
        self.ensure_one()
        return self.currency_id._convert(
            self.amount_total, self.company_id.currency_id, self.company_id, self.date_order or fields.Date.today()
        )
