from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestSaleHold(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.seller = new_test_user(cls.env, "hold_seller", groups="sales_team.group_sale_salesman", lang="en_US")
        cls.agent = new_test_user(cls.env, "hold_agent", groups="recouvrement_creances.group_recouvrement_agent")
        cls.manager = new_test_user(
            cls.env,
            "hold_manager",
            groups="recouvrement_creances.group_recouvrement_manager,sales_team.group_sale_salesman_all_leads",
        )
        cls.customer = cls.env["res.partner"].create({"name": "Held Customer", "is_company": True})
        cls.product = cls.env["product.product"].create({"name": "Pump", "list_price": 100.0})

    def _order(self, user):
        return (
            self.env["sale.order"]
            .with_user(user)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1})],
                }
            )
        )

    def test_hold_blocks_the_salesperson_not_the_manager_and_shows_on_the_order(self):
        self.env["recouvrement.credit.hold"].with_user(self.agent).create(
            {"partner_id": self.customer.id, "reason": "Cheque returned unpaid"}
        )
        order = self._order(self.seller)
        self.assertTrue(order.collection_credit_hold, "the salesperson sees the hold on the order")
        self.assertIn("Cheque returned unpaid", order.collection_hold_reason)
        with self.assertRaisesRegex(UserError, "Held Customer.*Cheque returned unpaid"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")
        order.with_user(self.manager).action_confirm()
        self.assertEqual(order.state, "sale")
        # released: the salesperson confirms again
        self.customer.with_user(self.agent).action_collection_release_hold()
        other = self._order(self.seller)
        other.action_confirm()
        self.assertEqual(other.state, "sale")
