import doctest
from datetime import date
from itertools import pairwise

from freezegun import freeze_time
from hypothesis import given, settings
from hypothesis import strategies as st

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import BaseCase, Form, tagged

from ..tools import decision, evidence, prescription, schedule, text
from ..tools.schedule import ScheduleError, build_schedule
from .common import RecouvrementCommon
from .test_letters import pdf_text


@tagged("post_install", "-at_install")
class TestSchedule(BaseCase):
    def test_doctests(self):
        for module in (schedule, evidence, prescription, decision, text):
            with self.subTest(module=module.__name__):
                result = doctest.testmod(module)
                self.assertTrue(result.attempted)
                self.assertFalse(result.failed)

    def test_exact_splits(self):
        self.assertEqual(
            [a for _d, a, _i in build_schedule(1000, date(2026, 1, 10), count=3)], [333.33, 333.33, 333.34]
        )
        self.assertEqual(
            [a for _d, a, _i in build_schedule(100.01, date(2026, 1, 10), count=7)],
            [14.28, 14.28, 14.28, 14.28, 14.28, 14.28, 14.33],
        )

    def test_interest_on_the_remaining_balance(self):
        # 1200.00 in 3 monthly parts of 400.00 from 1 February 2026, agreed on 1 January, at 6 % a year:
        # 1200 x 6 % x 31 / 365 = 6.115 -> 6.12; 800 x 6 % x 28 / 365 = 3.682 -> 3.68;
        # 400 x 6 % x 31 / 365 = 2.038 -> 2.04
        self.assertEqual(
            build_schedule(1200, date(2026, 2, 1), count=3, annual_rate=6, start=date(2026, 1, 1)),
            [(date(2026, 2, 1), 406.12, 6.12), (date(2026, 3, 1), 403.68, 3.68), (date(2026, 4, 1), 402.04, 2.04)],
        )

    def test_bad_schedules(self):
        for kwargs, code in (
            ({"count": 0}, "count"),
            ({"amount": 0}, "amount"),
            ({"count": 3, "frequency": "daily"}, "frequency"),
        ):
            with self.assertRaises(ScheduleError) as error:
                build_schedule(100, date(2026, 1, 10), **kwargs)
            self.assertEqual(error.exception.code, code)

    @settings(max_examples=200, deadline=None, database=None)
    @given(
        cents=st.integers(1, 10_000_000),
        count=st.integers(1, 60),
        frequency=st.sampled_from(["weekly", "monthly", "quarterly"]),
        first=st.dates(min_value=date(2026, 1, 1), max_value=date(2030, 12, 31)),
    )
    def test_properties(self, cents, count, frequency, first):
        count = min(count, cents)
        schedule = build_schedule(cents / 100, first, count=count, frequency=frequency)
        self.assertEqual(sum(round(amount * 100) for _d, amount, _i in schedule), cents, "sums to the total")
        self.assertTrue(all(amount > 0 for _d, amount, _i in schedule), "every installment is positive")
        days = [day for day, _a, _i in schedule]
        self.assertTrue(all(a < b for a, b in pairwise(days)), "dates strictly increasing")


@tagged("post_install", "-at_install")
class TestPaymentPlans(RecouvrementCommon):
    def test_down_payment_and_preview(self):
        invoice = self._invoice(self.debtor, 1000.0)
        with freeze_time("2026-04-01"):
            form = Form(
                self.env["recouvrement.payment.plan.wizard"].with_context(
                    active_model="res.partner", active_ids=self.debtor.ids
                )
            )
            self.assertEqual(form.amount, 1000.0)
            form.down_payment = 100.0
            form.installment_count = 3
            form.first_date = date(2026, 4, 15)
            self.assertIn("15/04/2026", form.preview)
            plan = self.env["recouvrement.payment.plan"].browse(form.save().action_create_plan()["res_id"])
        self.assertEqual(plan.move_ids, invoice)
        self.assertEqual(
            [(line.date_due, line.amount) for line in plan.line_ids],
            [
                (date(2026, 4, 15), 100.0),
                (date(2026, 5, 15), 300.0),
                (date(2026, 6, 15), 300.0),
                (date(2026, 7, 15), 300.0),
            ],
        )
        self.assertEqual(plan.state, "draft")

    def test_interest_is_invoiced_and_covered(self):
        invoice = self._invoice(self.debtor, 1200.0)
        # agreed on 31 March, 3 monthly installments from 10 April at 6 %:
        # 1200 x 6 % x 10 / 365 = 1.97; 800 x 6 % x 30 / 365 = 3.95; 400 x 6 % x 31 / 365 = 2.04 -> 7.96
        plan = self._plan(invoice, date(2026, 4, 10), interest_rate=6.0)
        self.assertEqual(plan.line_ids.mapped("interest"), [1.97, 3.95, 2.04])
        interest_invoice = plan.move_ids - invoice
        self.assertRecordValues(interest_invoice, [{"amount_total": 7.96, "amount_tax": 0.0, "state": "posted"}])
        self.assertEqual(interest_invoice.invoice_line_ids.account_id.code, "763100")
        self.assertEqual((plan.amount_covered, plan.amount_total), (1207.96, 1207.96))
        self._pay(invoice, 1200.0, date(2026, 4, 9))
        self._pay(interest_invoice, 7.96, date(2026, 4, 9))
        with freeze_time("2026-04-20"):
            plan._update_states()
        self.assertEqual(plan.state, "completed")

    def test_cancel_credits_the_interest_and_restores_the_penalties(self):
        invoice = self._invoice(self.debtor, 1200.0)
        plan = self._plan(invoice, date(2026, 4, 10), interest_rate=6.0, waive_penalties=True)
        self.assertEqual(plan.penalty_ids.state, "waived")
        plan.action_cancel()
        self.assertEqual(plan.interest_invoice_id.payment_state, "reversed")
        self.assertEqual(plan.penalty_ids.state, "cancelled", "the penalties are due again")
        with self.assertRaisesRegex(UserError, "Only a draft, proposed or active"):
            plan.action_cancel()

    def test_partial_amount_completes_when_the_schedule_is_paid(self):
        invoice = self._invoice(self.debtor, 1000.0)
        plan = self._plan(invoice, date(2026, 4, 10), count=2, amount=600.0)
        self.assertEqual(plan.amount_total, 600.0)
        self._pay(invoice, 600.0, date(2026, 5, 9))
        with freeze_time("2026-05-12"):
            plan._update_states()
        self.assertEqual(plan.state, "completed", "the invoice's 400.00 left goes back to the run")

    def test_lifecycle_paid_on_time(self):
        invoice = self._invoice(self.debtor, 900.0)
        plan = self._plan(invoice, date(2026, 4, 10))
        self.assertEqual(plan.state, "active")
        self._pay(invoice, 300.0, date(2026, 4, 9))
        self._pay(invoice, 100.0, date(2026, 5, 8))  # part of the second installment, due on 10 May
        with freeze_time("2026-05-09"):
            self.assertEqual(plan.line_ids.mapped("state"), ["paid", "partial", "to_pay"])
            self.assertEqual(plan.amount_paid, 400.0)
        self._pay(invoice, 500.0, date(2026, 6, 9))
        with freeze_time("2026-06-10"):
            plan._update_states()
        self.assertEqual(plan.state, "completed")
        self.assertEqual(plan.progress, 100.0)

    def test_missed_installment_breaks_the_plan_and_dunning_resumes(self):
        invoice = self._invoice(self.debtor, 900.0)
        self.debtor.with_company(self.company).collection_user_id = self.agent
        plan = self._plan(invoice, date(2026, 4, 10), grace_days=5)
        # while the plan is active, the invoice is left out of the run
        self.assertFalse(self._run(self._day(30), execute=False).action_ids)
        with freeze_time("2026-04-15"):
            plan._update_states()
            self.assertEqual(plan.line_ids[0].state, "late")
        self.assertEqual(plan.state, "active", "within the grace days")
        with freeze_time("2026-04-16"):
            plan._update_states()
            plan.line_ids.invalidate_recordset(["state"])
            self.assertEqual(plan.line_ids[0].state, "missed")
        self.assertEqual(plan.state, "broken")
        self.assertEqual(plan.activity_ids.user_id, self.agent, "the collector is told")
        self.assertIn("collection resumes", invoice.message_ids[0].body)
        run = self._run(date(2026, 4, 16), execute=False)
        self.assertEqual(run.action_ids.line_ids.move_id, invoice, "dunning resumes")

    def test_penalties_waived_under_the_plan_come_back_when_it_breaks(self):
        invoice = self._invoice(self.debtor, 1000.0)  # due 2 March 2026
        plan = self._plan(invoice, date(2026, 4, 10), waive_penalties=True)  # agreed on 31 March
        # 3 .. 31 March: 29 days at 12.15 %: 1000 x 12.15 % x 29 / 365 = 9.6534... -> 9.65, and the 40.00
        self.assertRecordValues(
            plan.penalty_ids,
            [{"move_id": invoice.id, "penalty_waived": 9.65, "indemnity_waived": 40.0, "state": "waived"}],
        )
        self.assertIn("Waived under the payment plan", invoice.message_ids[0].body)
        figure = invoice._collection_penalty_figures(date(2026, 3, 31))[invoice]
        self.assertEqual((figure["penalty"], figure["indemnity_due"]), (0.0, 0.0))
        with freeze_time("2026-04-16"):
            plan._update_states()
        self.assertEqual(plan.state, "broken")
        self.assertEqual(plan.penalty_ids.state, "cancelled", "due again")
        # 3 March .. 16 April: 45 days: 1000 x 12.15 % x 45 / 365 = 14.979... -> 14.98, and the 40.00
        figure = invoice._collection_penalty_figures(date(2026, 4, 16))[invoice]
        self.assertEqual((figure["penalty"], figure["indemnity_due"]), (14.98, 40.0))

    def test_only_managers_waive_penalties(self):
        invoice = self._invoice(self.debtor, 1000.0)
        with freeze_time("2026-04-01"):
            wizard = (
                self.env["recouvrement.payment.plan.wizard"]
                .with_user(self.agent)
                .create(
                    {
                        "partner_id": self.debtor.id,
                        "move_ids": [Command.set(invoice.ids)],
                        "first_date": date(2026, 4, 10),
                        "waive_penalties": True,
                    }
                )
            )
            plan = (
                self.env["recouvrement.payment.plan"]
                .browse(wizard.action_create_plan()["res_id"])
                .with_user(self.agent)
            )
            with self.assertRaisesRegex(AccessError, "Only a collection manager may waive penalties"):
                plan.action_activate()
        self.assertEqual(plan.state, "draft")
        self.assertFalse(plan.penalty_ids)

    def test_call_outcome_opens_the_plan(self):
        self.debtor.with_company(self.company).collection_user_id = self.agent
        invoice = self._invoice(self.debtor, 600.0)
        with self.mock_mail_gateway():
            run = self._run(self._day(30))
        call = run.action_ids.filtered(lambda a: a.channel == "phone")
        wizard = self.env["recouvrement.call.wizard"].create({"action_id": call.id, "outcome": "plan"})
        opened = wizard.action_confirm()
        self.assertEqual(opened["res_model"], "recouvrement.payment.plan.wizard")
        with freeze_time(self._day(30)):
            plan_wizard = (
                self.env[opened["res_model"]].with_context(**opened["context"]).create({"first_date": self._day(40)})
            )
        self.assertEqual((plan_wizard.move_ids, plan_wizard.amount), (invoice, 600.0))
        self.assertEqual(call.call_outcome, "plan")

    def test_installment_reminder_email(self):
        invoice = self._invoice(self.debtor, 900.0)
        plan = self._plan(invoice, date(2026, 4, 10))
        with freeze_time("2026-04-06"), self.mock_mail_gateway():
            self.assertFalse(plan._send_installment_reminders(), "4 days before: not yet")
        with freeze_time("2026-04-07"), self.mock_mail_gateway():
            plan._send_installment_reminders()
            self.assertEqual([mail["email_to"] for mail in self._mails], [['"Debtor One" <debtor.one@example.com>']])
        self.assertIn("300,00", plan.message_ids[0].body)
        self.assertIn("10/04/2026", plan.message_ids[0].body)
        with freeze_time("2026-04-08"), self.mock_mail_gateway():
            self.assertFalse(plan._send_installment_reminders(), "once per installment")

    def test_agreement_pdf(self):
        invoice = self._invoice(self._debtor("Garage Martin", lang="fr_FR"), 1000.0)
        plan = self._plan(invoice, date(2026, 4, 10))
        report = self.env.ref("recouvrement_creances.action_report_payment_plan_agreement")
        pdf, _type = report.with_context(force_report_rendering=True)._render_qweb_pdf(report.report_name, plan.ids)
        text = " ".join(pdf_text(pdf).split())
        self.assertIn("Échéancier de paiement – reconnaissance de dette", text)
        self.assertIn("la somme de 1 000,00 € (mille euros)", text)
        for day, amount in (("10/04/2026", "333,33 €"), ("10/05/2026", "333,33 €"), ("10/06/2026", "333,34 €")):
            self.assertRegex(text, rf"{day} {amount}")
        self.assertIn(invoice.name, text)
        self.assertIn("la totalité du solde restant dû devient immédiatement exigible", text)

    def test_bad_input(self):
        invoice = self._invoice(self.debtor, 900.0)
        usd = self.setup_other_currency("USD", rates=[("2026-01-01", 1.25)])
        other_currency = self._invoice(self.debtor, 100.0, currency=usd)
        Wizard = self.env["recouvrement.payment.plan.wizard"]
        cases = [
            (invoice, {"amount": 1000.0}, "more than what the invoices still owe"),
            (invoice, {"first_date": date(2026, 3, 1)}, "cannot be due in the past"),
            (invoice, {"installment_count": 0}, "number of installments must be at least 1"),
            (invoice | other_currency, {}, "invoices in one currency"),
            (
                invoice,
                {"interest_rate": 5.0, "settlement_discount": 2.0, "settlement_deadline": date(2026, 5, 1)},
                "interest or offers an early settlement discount, not both",
            ),
            (invoice, {"settlement_discount": 100.0, "settlement_deadline": date(2026, 5, 1)}, "between 0 and 100"),
            (invoice, {"settlement_discount": 2.0}, "until which the early settlement discount is offered"),
        ]
        with freeze_time("2026-04-01"):
            for moves, values, message in cases:
                with self.subTest(message=message):
                    wizard = Wizard.create(
                        {
                            "partner_id": self.debtor.id,
                            "move_ids": [Command.set(moves.ids)],
                            "first_date": date(2026, 4, 10),
                            **values,
                        }
                    )
                    with self.assertRaisesRegex(UserError, message):
                        wizard.action_create_plan()
            self.assertFalse(self.env["recouvrement.payment.plan"].search([("partner_id", "=", self.debtor.id)]))
        plan = self._plan(invoice, date(2026, 4, 10))
        with freeze_time("2026-04-01"), self.assertRaisesRegex(UserError, "already in an active payment plan"):
            Wizard.create(
                {"partner_id": self.debtor.id, "move_ids": [Command.set(invoice.ids)], "first_date": date(2026, 4, 10)}
            ).action_create_plan()
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            plan.write({"line_ids": [Command.create({"date_due": date(2026, 8, 1), "amount": 1.0})]})

    def test_early_settlement_discount_is_a_credit_note_with_its_vat(self):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.debtor.id,
                "invoice_date": date(2026, 3, 2),
                "invoice_date_due": date(2026, 3, 2),
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Service", "price_unit": 1000.0, "tax_ids": [Command.set(self.tax_sale_a.ids)]}
                    )
                ],
            }
        )
        invoice.action_post()
        self.assertEqual((invoice.amount_total, self.tax_sale_a.amount), (1200.0, 20.0))
        plan = self._plan(invoice, date(2026, 4, 10), settlement_discount=5.0, settlement_deadline=date(2026, 5, 31))
        self.assertEqual((plan.settlement_discount, plan.settlement_deadline), (5.0, date(2026, 5, 31)))
        self._pay(invoice, 400.0, date(2026, 4, 9))
        with freeze_time("2026-05-02"):
            credit_note = plan.action_grant_settlement_discount()
        # 5 % of the 800.00 still owed: 40.00, of which 33.33 before VAT and 6.67 of VAT
        self.assertRecordValues(
            credit_note,
            [
                {
                    "move_type": "out_refund",
                    "state": "posted",
                    "amount_untaxed": 33.33,
                    "amount_tax": 6.67,
                    "amount_total": 40.0,
                    "payment_state": "paid",
                }
            ],
        )
        self.assertEqual(
            credit_note.invoice_line_ids.account_id, self.company.account_journal_early_pay_discount_loss_account_id
        )
        self.assertEqual(invoice.amount_residual, 760.0)
        self.assertIn("the balance to pay is 760,00", plan.message_ids[0].body.replace("&nbsp;", " "))
        with self.assertRaisesRegex(UserError, "already granted"):
            plan.action_grant_settlement_discount()
        self._pay(invoice, 760.0, date(2026, 5, 3))
        with freeze_time("2026-05-04"):
            plan._update_states()
        self.assertEqual(plan.state, "completed")

    def test_early_settlement_discount_terms(self):
        invoice = self._invoice(self.debtor, 1000.0)
        plan = self._plan(invoice, date(2026, 4, 10), settlement_discount=2.0, settlement_deadline=date(2026, 5, 1))
        report = self.env.ref("recouvrement_creances.action_report_payment_plan_agreement")
        pdf, _type = report.with_context(force_report_rendering=True)._render_qweb_pdf(report.report_name, plan.ids)
        self.assertIn(
            "au plus tard le 01/05/2026, le créancier accorde un escompte de 2,00 % sur ce solde",
            " ".join(pdf_text(pdf).split()),
        )
        with freeze_time("2026-05-02"), self.assertRaisesRegex(UserError, "offered until 01/05/2026"):
            plan.action_grant_settlement_discount()
        self.assertFalse(plan.settlement_credit_note_id)
        self.assertEqual(invoice.amount_residual, 1000.0)

    def test_renegotiation_replaces_the_plan_and_keeps_it(self):
        invoice = self._invoice(self.debtor, 900.0)
        plan = self._plan(invoice, date(2026, 4, 10))
        self._pay(invoice, 300.0, date(2026, 4, 9))
        opened = plan.action_renegotiate()
        with freeze_time("2026-04-20"):
            wizard = (
                self.env[opened["res_model"]]
                .with_context(**opened["context"])
                .create({"first_date": date(2026, 5, 10), "installment_count": 6})
            )
            self.assertEqual((wizard.move_ids, wizard.amount, wizard.previous_plan_id), (invoice, 600.0, plan))
            new_plan = self.env["recouvrement.payment.plan"].browse(wizard.action_create_plan()["res_id"])
            self.assertEqual(plan.state, "active", "the old plan holds until the new one is agreed")
            new_plan.action_activate()
        self.assertEqual((plan.state, new_plan.state), ("cancelled", "active"))
        self.assertEqual(new_plan.previous_plan_id, plan)
        self.assertEqual(new_plan.line_ids.mapped("amount"), [100.0] * 6)
