import calendar
import doctest
from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import BaseCase, new_test_user, tagged

from ..tools import kpi, scoring
from .common import RecouvrementCommon


@tagged("post_install", "-at_install")
class TestIndicators(BaseCase):
    def test_doctests(self):
        for module in (scoring, kpi):
            with self.subTest(module=module.__name__):
                result = doctest.testmod(module)
                self.assertTrue(result.attempted)
                self.assertFalse(result.failed)

    def test_dso_countback_by_hand(self):
        # 45 000 owed at the end of June: June's 20 000 (30 days), May's 15 000 (31 days), then 10 000 of
        # April's 40 000: 30 x 10 / 40 = 7.5 days
        months = [(date(2026, 6, 1), 20000), (date(2026, 5, 1), 15000), (date(2026, 4, 1), 40000)]
        self.assertEqual(kpi.dso_countback(45000, months), 68.5)
        self.assertEqual(kpi.dso_countback(0, months), 0.0)
        # more owed than all the sales given: every month counts in full
        self.assertEqual(kpi.dso_countback(100000, months), 91.0)

    def test_cei_by_hand(self):
        # opening 10 000, sales 5 000, closing 9 000 of which 4 000 not due: 6 000 collected of 11 000
        self.assertEqual(kpi.cei(10000, 5000, 9000, 4000), 54.55)
        self.assertIsNone(kpi.cei(0, 0, 0, 0))


@tagged("post_install", "-at_install")
class TestScoring(RecouvrementCommon):
    TODAY = date(2026, 6, 30)

    def _history(self, partner, days_late, open_due=None):
        """Invoices of 1 000.00 due on the 15th of January to April, each paid ``days_late`` days after."""
        for month in (1, 2, 3, 4):
            due = date(2026, month, 15)
            invoice = self._invoice(partner, 1000.0, due=due)
            self._pay(invoice, 1000.0, due + timedelta(days=days_late))
        return self._invoice(partner, 1000.0, due=open_due) if open_due else None

    def _score(self, partner):
        with freeze_time(self.TODAY):
            solvency = self.env["recouvrement.solvency"]._files_of(partner)
            solvency.action_compute_score()
        return solvency

    @staticmethod
    def _factors(solvency):
        return {factor["key"]: factor["points"] for factor in solvency.score_factors if factor["points"]}

    def test_on_time_payer_is_class_a(self):
        self._history(self.debtor, days_late=0)
        solvency = self._score(self.debtor)
        self.assertRecordValues(solvency, [{"score": 100, "score_date": self.TODAY}])
        self.assertEqual(solvency.risk_class_id.code, "A")
        self.assertEqual(self._factors(solvency), {})
        self.assertIn("No negative factor", solvency.score_explanation)
        self.assertEqual(self.debtor.collection_risk_class_id.code, "A", "the customer shows its class")

    def test_chronic_late_payer_is_class_e_and_the_explanation_says_why(self):
        open_invoice = self._history(self.debtor, days_late=75, open_due=date(2026, 3, 1))
        solvency = self._score(self.debtor)
        # 5 invoices due in the window, all late: (4 x 75 + 121) / 5 = 84.2 days on average and weighted;
        # 1 000.00 overdue = 4.8 months of the 5 000.00 invoiced over 24 months; the oldest 121 days overdue
        self.assertEqual(
            self._factors(solvency),
            {
                "days_late_avg": -15.0,
                "days_late_weighted": -20.0,
                "late_share": -20.0,
                "overdue_months": -10.0,
                "oldest_overdue_days": -15.0,
            },
        )
        self.assertEqual(solvency.score, 20)
        self.assertEqual(solvency.risk_class_id.code, "E")
        values = {factor["key"]: factor["value"] for factor in solvency.score_factors}
        self.assertEqual((values["days_late_avg"], values["late_share"]), (84.2, 1.0))
        self.assertIn("Average days late", solvency.score_explanation)
        # a contentious case takes the customer's class (its 121 days overdue alone would give C)
        with freeze_time(self.TODAY):
            case = self.env["recouvrement.case"]._open_for_moves(open_invoice)
        self.assertEqual(case.risk_class_id.code, "E")

    def test_a_broken_plan_lowers_the_score(self):
        invoice = self._invoice(self.debtor, 900.0)  # due 2 March 2026
        plan = self._plan(invoice, date(2026, 4, 10), grace_days=5)
        self.TODAY = date(2026, 4, 16)
        before = self._score(self.debtor).score
        with freeze_time(self.TODAY):
            plan._update_states()
        self.assertEqual(plan.state, "broken")
        solvency = self._score(self.debtor)
        self.assertEqual(solvency.score, before - 10)
        self.assertEqual(self._factors(solvency)["broken_plans"], -10.0)

    def test_nightly_scoring_scores_every_debtor_in_few_queries(self):
        debtors = [self._debtor(f"Debtor {index}") for index in range(6)]
        for debtor in debtors:
            self._invoice(debtor, 500.0, due=date(2026, 5, 1))
        self.env.flush_all()
        with freeze_time(self.TODAY), self._count_queries() as queries:
            files = self.env["recouvrement.solvency"]._score_partners()
            self.env.flush_all()
        self.assertGreaterEqual(set(files.partner_id.ids), {d.id for d in debtors})
        # 60 days late of 60 on its only invoice, due 500.00 = 24 months of invoicing: 100 - 15 - 20 - 20 - 10 - 10
        self.assertEqual(set(files.filtered(lambda f: f.partner_id in debtors).mapped("score")), {25})
        with freeze_time(self.TODAY), self._count_queries() as again:
            self.env["recouvrement.solvency"]._score_partners()
            self.env.flush_all()
        # the same number of queries whatever the number of debtors: no query per debtor
        self.assertLess(again["count"], 40)
        self.assertLessEqual(again["count"], queries["count"])

    def test_thresholds_out_of_order_are_refused(self):
        with self.assertRaisesRegex(ValidationError, "must decrease"), self.env.cr.savepoint():
            self.env.ref("recouvrement_creances.risk_class_b").min_score = 90
        with self.assertRaisesRegex(ValidationError, "must increase"), self.env.cr.savepoint():
            self.env.ref("recouvrement_creances.risk_class_c").min_days_overdue = 10
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.env.ref("recouvrement_creances.risk_class_a").min_score = 120

    def test_override_needs_a_reason_and_a_manager_and_ends(self):
        self._history(self.debtor, days_late=0)
        solvency = self._score(self.debtor)
        with self.assertRaises(AccessError):
            solvency.with_user(self.agent).override_class_id = self.env.ref("recouvrement_creances.risk_class_d")
        with self.assertRaisesRegex(ValidationError, "Say why"), self.env.cr.savepoint():
            solvency.with_user(self.manager).override_class_id = self.env.ref("recouvrement_creances.risk_class_d")
        solvency.with_user(self.manager).write(
            {
                "override_class_id": self.env.ref("recouvrement_creances.risk_class_d").id,
                "override_reason": "Receivership announced",
                "override_until": date.today() + timedelta(days=30),
            }
        )
        self.assertEqual(solvency.risk_class_id.code, "D")
        self.assertEqual(solvency.score_class_id.code, "A")
        with freeze_time(date.today() + timedelta(days=31)):
            self.env["recouvrement.solvency"].with_company(self.company)._end_expired_overrides()
        self.assertEqual(solvency.risk_class_id.code, "A", "the score's class applies again")
        self.assertIn("has ended", solvency.message_ids[0].body)

    def test_figures_ratios_suggested_limit_and_terms(self):
        self._history(self.debtor, days_late=0)
        solvency = self._score(self.debtor)
        with self.assertRaisesRegex(ValidationError, "future"), self.env.cr.savepoint():
            solvency.figure_ids = [Command.create({"date": date.today() + timedelta(days=1), "turnover": 1})]
        with self.assertRaisesRegex(ValidationError, "future"), self.env.cr.savepoint():
            solvency.rating_date = date.today() + timedelta(days=1)
        solvency.figure_ids = [
            Command.create(
                {
                    "date": date(2025, 12, 31),
                    "turnover": 1234567.0,
                    "equity": 300000.0,
                    "net_result": 61728.35,
                    "debt": 200000.0,
                }
            ),
            Command.create({"date": date(2024, 12, 31), "turnover": 900000.0}),
        ]
        self.assertRecordValues(solvency.last_figure_id, [{"net_margin": 5.0, "equity_ratio": 60.0, "gearing": 0.67}])
        # class A: 10 % of the last turnover, rounded down to the hundred
        self.assertEqual(solvency.suggested_credit_limit, 123400.0)
        self.debtor.with_company(self.company).collection_insured_limit = 50000.0
        solvency.invalidate_recordset(["suggested_credit_limit"])
        self.assertEqual(solvency.suggested_credit_limit, 50000.0, "within the insurer's approved limit")
        solvency.with_user(self.manager).action_apply_credit_limit()
        self.assertEqual(self.debtor.with_company(self.company).credit_limit, 50000.0)
        solvency.with_user(self.manager).action_apply_payment_term()
        self.assertEqual(
            self.debtor.with_company(self.company).property_payment_term_id,
            self.env.ref("account.account_payment_term_45days"),
        )
        with self.assertRaisesRegex(ValidationError, "negative"), self.env.cr.savepoint():
            self.debtor.with_company(self.company).credit_limit = -1


@tagged("post_install", "-at_install")
class TestCreditHold(RecouvrementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = new_test_user(
            cls.env,
            "billing",
            groups="account.group_account_invoice,base.group_partner_manager",
            company_id=cls.company.id,
            company_ids=cls.company.ids,
        )
        cls.billing.lang = "en_US"
        cls.company.write({"account_use_credit_limit": True, "collection_hold_on_limit": True})
        cls.debtor.with_company(cls.company).credit_limit = 1000.0

    def _draft(self, amount, user):
        return (
            self.env["account.move"]
            .with_user(user)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.debtor.id,
                    "invoice_date": date.today(),
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "Goods", "quantity": 1, "price_unit": amount, "tax_ids": [Command.clear()]}
                        )
                    ],
                }
            )
        )

    def _holds(self):
        return self.env["recouvrement.credit.hold"].search([("partner_id", "=", self.debtor.id)], order="id")

    def test_limit_hold_blocks_the_salesperson_lets_a_manager_through_and_ends_on_payment(self):
        first = self._draft(800.0, self.billing)
        first.action_post()
        second = self._draft(500.0, self.billing)
        with self.assertRaisesRegex(UserError, "Debtor One.*1.000.00.*1.300.00"):
            second.action_post()
        self.assertEqual(second.state, "draft", "nothing half-posted")
        second.with_user(self.manager).action_post()
        self.assertEqual(second.state, "posted")
        self.assertIn("despite the credit hold", second.message_ids[0].body)
        self.assertRecordValues(self._holds(), [{"cause": "limit", "date_end": False}])
        self.assertTrue(self.debtor.collection_credit_hold)
        self.assertIn("Credit limit", self.debtor.collection_hold_reason)
        third = self._draft(100.0, self.billing)
        with self.assertRaises(UserError):
            third.action_post()
        # the customer pays: the hold ends by itself, and is logged
        self._pay(first, 800.0, date.today())
        self.assertTrue(self._holds().date_end, "released on payment")
        self.assertFalse(self.debtor.collection_credit_hold)
        third.action_post()
        self.assertEqual(third.state, "posted")
        bodies = self.debtor.message_ids.mapped("body")
        self.assertTrue(any("Credit hold released" in body for body in bodies))
        self.assertTrue(any("Credit hold: Credit Limit Exceeded" in body for body in bodies))

    def test_hold_by_hand_needs_a_reason_and_is_released_by_a_collector(self):
        Hold = self.env["recouvrement.credit.hold"].with_user(self.agent)
        with self.assertRaisesRegex(UserError, "Say why"), self.env.cr.savepoint():
            Hold.create({"partner_id": self.debtor.id})
        action = self.debtor.with_user(self.agent).action_collection_hold()
        Hold.with_context(**action["context"]).create({"reason": "Cheque returned unpaid"})
        draft = self._draft(10.0, self.billing)
        with self.assertRaisesRegex(UserError, "Cheque returned unpaid"):
            draft.action_post()
        self.debtor.with_user(self.agent).action_collection_release_hold()
        draft.action_post()
        self.assertRecordValues(self._holds(), [{"cause": "manual", "user_end_id": self.agent.id}])

    def test_salespeople_read_the_banner_not_the_solvency(self):
        self._invoice(self.debtor, 300.0, due=date.today() - timedelta(days=20))
        self.env["recouvrement.solvency"]._files_of(self.debtor).action_compute_score()
        partner = self.debtor.with_user(self.salesman)
        [banner] = partner.read(
            [
                "collection_amount_overdue",
                "collection_risk_class_id",
                "collection_credit_hold",
                "collection_hold_reason",
            ]
        )
        self.assertEqual(banner["collection_amount_overdue"], 300.0)
        self.assertTrue(banner["collection_risk_class_id"])
        arch = partner.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("o_recouvrement_banner", arch)
        with self.assertRaises(AccessError):
            self.env["recouvrement.solvency"].with_user(self.salesman).search([])
        with self.assertRaises(AccessError):
            self.env["recouvrement.dashboard"].with_user(self.salesman).get_dashboard_data()
        self.assertTrue(self.env["recouvrement.dashboard"].with_user(self.agent).get_dashboard_data())


@tagged("post_install", "-at_install")
class TestDashboard(RecouvrementCommon):
    def test_dso_and_cei_on_a_hand_computed_example(self):
        # February: 2 000.00 invoiced on the 1st, due 1 March; March: 3 000.00 invoiced on the 1st, due
        # 15 April, and 1 000.00 paid on the February invoice on the 10th
        february = self._invoice(self.debtor, 2000.0, due=date(2026, 3, 1), invoice_date=date(2026, 2, 1))
        self._invoice(self.debtor, 3000.0, due=date(2026, 4, 15), invoice_date=date(2026, 3, 1))
        self._pay(february, 1000.0, date(2026, 3, 10))
        with freeze_time("2026-03-20"):
            data = self.env["recouvrement.dashboard"].get_dashboard_data()
        february_row, march = data["trend"][-2:]
        self.assertEqual((february_row["receivable"], february_row["sales"]), (2000.0, 2000.0))
        self.assertEqual(february_row["dso"], 28.0)  # the whole of February's sales still owed
        self.assertIsNone(february_row["cei"], "nothing was due yet")
        self.assertEqual((march["receivable"], march["sales"]), (4000.0, 3000.0))
        # 4 000 owed: March's 3 000 (31 days) then 1 000 of February's 2 000 (28 x 1/2 = 14 days)
        self.assertEqual(march["dso"], 31 + calendar.monthrange(2026, 2)[1] / 2)
        # (2 000 + 3 000 - 4 000) collected of (2 000 + 3 000 - 3 000 not yet due) = 50 %
        self.assertEqual(march["cei"], 50.0)
        self.assertEqual(data["totals"], {"receivable": 4000.0, "overdue": 1000.0})
        self.assertEqual([b["amount"] for b in data["aged"]], [3000.0, 1000.0, 0.0, 0.0, 0.0, 0.0])
        self.assertEqual(data["top_debtors"][0]["id"], self.debtor.id)
        self.assertEqual(data["top_debtors"][0]["overdue"], 1000.0)

    def test_figures_by_level_plan_case_promise_and_filters(self):
        self.debtor.with_company(self.company).collection_user_id = self.agent
        other = self._debtor("Other Debtor")
        self._invoice(self.debtor, 700.0)
        self._invoice(other, 400.0)
        self._run(self._day(14))
        with freeze_time(self._day(20)):
            data = self.env["recouvrement.dashboard"].get_dashboard_data()
            mine = self.env["recouvrement.dashboard"].get_dashboard_data(collector_id=self.agent.id)
            action = self.env["recouvrement.dashboard"].action_open_bucket("1_30")
        levels = {row["name"]: row["amount"] for row in data["levels"]}
        self.assertEqual(levels[self.levels[14].display_name], 1100.0)
        self.assertEqual(mine["totals"]["overdue"], 700.0, "one collector's customers only")
        self.assertEqual([row["name"] for row in mine["collectors"]], [self.agent.name])
        self.assertEqual(mine["collectors"][0]["overdue"], 700.0)
        # the bucket drills down to the invoices
        invoices = self.env["account.move"].search(action["domain"])
        self.assertEqual(invoices.commercial_partner_id, self.debtor | other)

    def test_weekly_digest_is_off_by_default_then_lists_the_salespersons_customers(self):
        seller = new_test_user(
            self.env,
            "seller",
            groups="base.group_user",
            company_id=self.company.id,
            company_ids=self.company.ids,
            email="seller@example.com",
        )
        self.debtor.user_id = seller
        self._invoice(self.debtor, 650.0, due=date.today() - timedelta(days=10))
        cron = self.env.ref("recouvrement_creances.ir_cron_recouvrement_sales_digest")
        with self.mock_mail_gateway(), self.enter_registry_test_mode():
            cron.method_direct_trigger()
        self.assertFalse(self._new_mails.filtered(lambda m: seller.partner_id in m.recipient_ids))
        self.company.collection_sales_digest = True
        with self.mock_mail_gateway(), self.enter_registry_test_mode():
            cron.method_direct_trigger()
        self.assertMailMail(seller.partner_id, "outgoing", content="Debtor One")
        mail = self._new_mails.filtered(lambda m: seller.partner_id in m.recipient_ids)
        self.assertIn("650", mail.body_html)
