import doctest
from datetime import timedelta

from odoo import fields
from odoo.tests import BaseCase, tagged

from ..tools import AGED_COLUMNS, levels
from .common import RecouvrementCommon


@tagged("post_install", "-at_install")
class TestAgeingColumns(BaseCase):
    def test_doctests(self):
        result = doctest.testmod(levels)
        self.assertTrue(result.attempted)
        self.assertFalse(result.failed)


@tagged("post_install", "-at_install")
class TestAgedBalance(RecouvrementCommon):
    def test_columns_and_agreement_with_the_receivable_balance(self):
        today = fields.Date.today()
        for days, amount in (
            (-10, 100.0),
            (0, 200.0),
            (1, 300.0),
            (30, 400.0),
            (31, 500.0),
            (90, 600.0),
            (91, 700.0),
            (180, 800.0),
            (181, 900.0),
        ):
            self._invoice(self.debtor, amount, due=today - timedelta(days=days))
        partial = self._invoice(self.debtor, 1000.0, due=today - timedelta(days=45))
        self._pay(partial, 250.0, today)
        self._invoice(self.debtor, 150.0, due=today - timedelta(days=5), move_type="out_refund")
        rows = self.env["recouvrement.aged.balance"].search([("partner_id", "=", self.debtor.id)])
        totals = {
            column: sum(rows.mapped(f"amount_{column}"))
            for column in ("not_due", "1_30", "31_60", "61_90", "91_180", "over_180", "total")
        }
        # due today is not overdue yet; the credit note is in the column of its own due date
        self.assertEqual(
            totals,
            {
                "not_due": 100.0 + 200.0,
                "1_30": 300.0 + 400.0 - 150.0,
                "31_60": 500.0 + 750.0,
                "61_90": 600.0,
                "91_180": 700.0 + 800.0,
                "over_180": 900.0,
                "total": 5100.0,
            },
        )
        # each item is in the one column the shared ageing table gives its days overdue
        for row in rows:
            self.assertEqual(
                [key for key, _first, _last in AGED_COLUMNS if row[f"amount_{key}"]],
                [levels.aged_column(row.days_overdue)],
            )
        # the whole view agrees to the cent with the balance of the receivable accounts of the company
        self.env.flush_all()
        [[balance]] = self.env["account.move.line"]._read_group(
            [
                ("company_id", "=", self.company.id),
                ("parent_state", "=", "posted"),
                ("account_id.account_type", "=", "asset_receivable"),
            ],
            aggregates=["balance:sum"],
        )
        [[aged]] = self.env["recouvrement.aged.balance"]._read_group(
            [("company_id", "=", self.company.id)], aggregates=["amount_total:sum"]
        )
        self.assertEqual(self.company.currency_id.round(aged - balance), 0.0)

    def test_each_customer_agrees_with_its_receivable_balance(self):
        today = fields.Date.today()
        other = self._debtor("Debtor Two")
        paid = self._invoice(self.debtor, 1200.0, due=today - timedelta(days=40))
        self._pay(paid, 450.0, today)
        self._invoice(self.debtor, 300.0, due=today + timedelta(days=10))
        self._invoice(other, 800.0, due=today - timedelta(days=100))
        self._invoice(other, 120.0, due=today - timedelta(days=3), move_type="out_refund")
        self.env.flush_all()
        debtors = self.debtor | other
        balances = dict(
            self.env["account.move.line"]._read_group(
                [
                    ("company_id", "=", self.company.id),
                    ("parent_state", "=", "posted"),
                    ("account_id.account_type", "=", "asset_receivable"),
                    ("partner_id", "in", debtors.ids),
                ],
                ["partner_id"],
                ["balance:sum"],
            )
        )
        aged = dict(
            self.env["recouvrement.aged.balance"]._read_group(
                [("partner_id", "in", debtors.ids)], ["partner_id"], ["amount_total:sum"]
            )
        )
        self.assertEqual(balances, {self.debtor: 1050.0, other: 680.0})
        self.assertEqual(aged, balances)
