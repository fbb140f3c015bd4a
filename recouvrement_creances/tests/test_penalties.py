from datetime import date, timedelta
from fractions import Fraction

from freezegun import freeze_time
from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import BaseCase, Form, tagged

from ..tools.penalties import (
    MissingRateError,
    RateBelowFloorError,
    contract_rate_checked,
    interest_segments,
    round_amount,
)
from .common import RecouvrementCommon

# Published figures used in the worked examples below (data/recouvrement_rate_data.xml):
# ECB main refinancing rate in force on 1 January 2024: 4.50 (since 2023-09-20); 1 January 2026: 2.15
# (since 2025-06-11); 1 July 2026: 2.40 (since 2026-06-17). Legal rate, other cases, 2026-H1: 2.62.
RATES = {
    date(2024, 1, 1): Fraction("14.50"),
    date(2026, 1, 1): Fraction("12.15"),
    date(2026, 7, 1): Fraction("12.40"),
}


def published(period):
    if period not in RATES:
        raise MissingRateError("ecb", period)
    return RATES[period]


def total(amount, start, end, payments=(), rates=published, basis="365"):
    return round_amount(sum(s.amount for s in interest_segments(amount, start, end, payments, rates, basis)), 0.01)


@tagged("post_install", "-at_install")
class TestPenaltyCalculation(BaseCase):
    """The plain calculation, on examples computed by hand."""

    def test_one_half_year(self):
        # 1000.00 due 2 March 2026, counted to 1 April: 30 days (3 March .. 1 April) at 12.15 %
        # 1000 x 12.15 % x 30 / 365 = 3645 / 365 = 9.98630... -> 9.99
        self.assertEqual(total(1000, date(2026, 3, 2), date(2026, 4, 1)), 9.99)

    def test_across_two_half_years(self):
        # 1000.00 due 15 June 2026, to 15 July: 15 days in June at 12.15 %, 15 days in July at 12.40 %
        # 1000 x (12.15 % x 15 + 12.40 % x 15) / 365 = 3682.5 / 365 = 10.08904... -> 10.09
        self.assertEqual(total(1000, date(2026, 6, 15), date(2026, 7, 15)), 10.09)

    def test_partial_payment_lowers_the_base_from_its_date(self):
        # 2000.00 due 2 March 2026; 500.00 paid on 22 March; counted to 1 April
        # 3 .. 22 March: 20 days on 2000; 23 March .. 1 April: 10 days on 1500
        # (2000 x 20 + 1500 x 10) x 12.15 % / 365 = 6682.5 / 365 = 18.30821... -> 18.31
        self.assertEqual(total(2000, date(2026, 3, 2), date(2026, 4, 1), [(date(2026, 3, 22), 500)]), 18.31)

    def test_leap_year(self):
        # 1000.00 due 31 January 2024, to 1 March 2024: 30 days (29 in February 2024, then 1 March), 14.50 %
        # basis 365:    1000 x 14.50 % x 30 / 365 = 4350 / 365 = 11.91780... -> 11.92
        # actual/actual: 1000 x 14.50 % x 30 / 366 = 4350 / 366 = 11.88524... -> 11.89
        self.assertEqual(total(1000, date(2024, 1, 31), date(2024, 3, 1)), 11.92)
        self.assertEqual(total(1000, date(2024, 1, 31), date(2024, 3, 1), basis="actual"), 11.89)

    def test_contractual_rate_floor(self):
        legal = {date(2026, 1, 1): Fraction("2.62"), date(2024, 1, 1): Fraction("5.07")}.__getitem__
        # 3 x 2.62 = 7.86: 8 % is allowed in 2026-H1; 1000 x 8 % x 30 / 365 = 2400 / 365 = 6.5753... -> 6.58
        self.assertEqual(total(1000, date(2026, 3, 2), date(2026, 4, 1), rates=contract_rate_checked(8, legal)), 6.58)
        with self.assertRaises(RateBelowFloorError) as refused:
            total(1000, date(2026, 3, 2), date(2026, 4, 1), rates=contract_rate_checked("7.5", legal))
        self.assertEqual((refused.exception.floor, refused.exception.period), (Fraction("7.86"), date(2026, 1, 1)))
        # 8 % is below 3 x 5.07 = 15.21 in 2024-H1
        with self.assertRaises(RateBelowFloorError):
            total(1000, date(2024, 3, 2), date(2024, 4, 1), rates=contract_rate_checked(8, legal))

    def test_missing_rate(self):
        with self.assertRaises(MissingRateError) as missing:
            total(1000, date(2026, 12, 1), date(2027, 1, 10))
        self.assertEqual(missing.exception.period, date(2027, 1, 1))
        # nothing owed in the unknown half-year: no rate needed
        self.assertEqual(total(1000, date(2026, 12, 1), date(2027, 1, 10), [(date(2026, 12, 31), 1000)]), 10.19)


# A made-up rate per half-year for the properties (any positive rate will do).
def _any_rate(period):
    return Fraction(period.year % 7 + 1) + Fraction(period.month, 4)


_days = st.integers(min_value=0, max_value=1500)
_start = st.dates(min_value=date(2015, 1, 1), max_value=date(2026, 12, 31))
_payments = st.lists(st.tuples(_days, st.integers(min_value=1, max_value=500_000)), max_size=4)


@tagged("post_install", "-at_install")
class TestPenaltyProperties(BaseCase):
    @settings(max_examples=200, deadline=None, database=None)
    @given(amount=st.integers(0, 1_000_000), start=_start, payments=_payments, first=_days, more=_days)
    def test_never_decreases_as_the_end_moves_later(self, amount, start, payments, first, more):
        payments = [(start + timedelta(days=day), paid / 100) for day, paid in payments]
        earlier = interest_segments(amount / 100, start, start + timedelta(days=first), payments, _any_rate)
        later = interest_segments(amount / 100, start, start + timedelta(days=first + more), payments, _any_rate)
        self.assertLessEqual(sum(s.amount for s in earlier), sum(s.amount for s in later))

    @settings(max_examples=200, deadline=None, database=None)
    @given(amount=st.integers(0, 1_000_000), start=_start, payments=_payments, first=_days, more=_days)
    def test_split_period_adds_up(self, amount, start, payments, first, more):
        payments = [(start + timedelta(days=day), paid / 100) for day, paid in payments]
        middle, end = start + timedelta(days=first), start + timedelta(days=first + more)
        whole = sum(s.amount for s in interest_segments(amount / 100, start, end, payments, _any_rate))
        parts = sum(s.amount for s in interest_segments(amount / 100, start, middle, payments, _any_rate)) + sum(
            s.amount for s in interest_segments(amount / 100, middle, end, payments, _any_rate)
        )
        self.assertEqual(whole, parts)  # exact fractions, before rounding

    @settings(max_examples=100, deadline=None, database=None)
    @given(amount=st.integers(0, 1_000_000), start=_start, days=_days, paid_before=st.integers(0, 30))
    def test_zero_residual_gives_zero(self, amount, start, days, paid_before):
        end = start + timedelta(days=days)
        self.assertEqual(interest_segments(0, start, end, [], _any_rate), [])
        paid = [(start - timedelta(days=paid_before), amount / 100)]
        self.assertEqual(interest_segments(amount / 100, start, end, paid, _any_rate), [])


@tagged("post_install", "-at_install")
class TestPenaltiesInOdoo(RecouvrementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, lang="en_US"))  # messages asserted in English
        cls.consumer = cls._debtor("Jeanne Martin", is_company=False)

    def _figures(self, invoice, on_date):
        return invoice._collection_penalty_figures(on_date)[invoice]

    def _wizard(self, partner, on_date, waivers=None):
        """*Invoice the Penalties* for ``partner`` on ``on_date``; ``waivers``: {invoice: (penalty, indemnity,
        reason)} typed in the preview."""
        with freeze_time(on_date):
            wizard = self.env["recouvrement.penalty.wizard"]
            form = Form(wizard.with_context(active_model="res.partner", active_ids=partner.ids))
            for index in range(len(form.line_ids)):
                with form.line_ids.edit(index) as line:
                    if line.move_id in (waivers or {}):
                        penalty, indemnity, reason = waivers[line.move_id]
                        line.penalty_waived, line.indemnity_waived, line.waiver_reason = penalty, indemnity, reason
            return form.save()

    def test_rates_shipped_match_the_published_penalty_table(self):
        """The B2B rate of each half-year, read from the ECB changes, equals the published table
        (ECB rate on 1 January / 1 July + 10 points)."""
        published = {
            "2015-01-01": "10.05", "2015-07-01": "10.05", "2016-01-01": "10.05", "2016-07-01": "10.00",
            "2017-01-01": "10.00", "2017-07-01": "10.00", "2018-01-01": "10.00", "2018-07-01": "10.00",
            "2019-01-01": "10.00", "2019-07-01": "10.00", "2020-01-01": "10.00", "2020-07-01": "10.00",
            "2021-01-01": "10.00", "2021-07-01": "10.00", "2022-01-01": "10.00", "2022-07-01": "10.00",
            "2023-01-01": "12.50", "2023-07-01": "14.00", "2024-01-01": "14.50", "2024-07-01": "14.25",
            "2025-01-01": "13.15", "2025-07-01": "12.15", "2026-01-01": "12.15", "2026-07-01": "12.40",
        }  # fmt: skip
        rate_of = self.env["recouvrement.rate"]._rate_table()
        for period, rate in published.items():
            self.assertEqual(rate_of("ecb", date.fromisoformat(period)) + 10, Fraction(rate), period)
        with self.assertRaises(MissingRateError, msg="the ECB decision of 2026-10-29 is not known"):
            rate_of("ecb", date(2027, 1, 1))

    def test_settings_move_the_ecb_table_date(self):
        settings = Form(self.env["res.config.settings"])
        self.assertEqual(settings.collection_ecb_checked_until, date(2026, 10, 28))
        settings.collection_ecb_checked_until = date(2027, 1, 5)
        settings.save().execute()
        # a manager checked the table on 5 January 2027: the ECB rate in force on 1 January is known (2.65)
        self.assertEqual(self.env["recouvrement.rate"]._rate_table()("ecb", date(2027, 1, 1)), Fraction("2.65"))

    def test_rate_form_lists_the_missing_half_years(self):
        with freeze_time("2026-11-22"):
            rate = self.env.ref("recouvrement_creances.rate_legal_other_2026_01_01")
            rate.invalidate_recordset(["missing_half_years"])
            self.assertEqual(
                rate.missing_half_years,
                "Legal Interest Rate: Creditor an Individual: second half of 2026\n"
                "Legal Interest Rate: Other Cases: second half of 2026",
            )
            self.env["recouvrement.rate"].create({"kind": "legal_other", "date_start": "2026-07-01", "rate": 2.75})
            rate.invalidate_recordset(["missing_half_years"])
            self.assertNotIn("Other Cases", rate.missing_half_years)
        with self.assertRaises(ValidationError):
            self.env["recouvrement.rate"].create({"kind": "legal_other", "date_start": "2027-02-01", "rate": 3.0})

    def test_b2b_invoice_shows_penalties_and_indemnity(self):
        invoice = self._invoice(self.debtor, 1000.0)
        with freeze_time("2026-04-01"):
            invoice.invalidate_recordset()
            # 30 days at 12.15 %: 9.99 (see TestPenaltyCalculation.test_one_half_year), plus 40.00
            self.assertRecordValues(
                invoice,
                [
                    {
                        "collection_penalty_amount": 9.99,
                        "collection_indemnity_amount": 40.0,
                        "collection_penalty_to_invoice": 49.99,
                        "collection_penalty_error": False,
                    }
                ],
            )
            debtor = self.debtor.with_company(self.company)
            self.assertRecordValues(
                debtor,
                [{"collection_penalty_amount": 9.99, "collection_indemnity_amount": 40.0}],
            )

    def test_b2c_legal_interest_from_the_formal_notice(self):
        invoice = self._invoice(self.consumer, 1000.0)
        self.assertEqual(self._figures(invoice, date(2026, 6, 1))["accrued"], 0.0, "no formal notice yet")
        with self.mock_mail_gateway():
            for offset in (14, 30, 60, 90):
                self._run(self._day(offset))
            run = self._run(self._day(100))  # 10 June 2026: the formal notice, validated by a manager
        notice = run.action_ids.filtered(lambda a: a.channel == "registered_letter")
        self.assertEqual(notice.state, "done")
        figure = self._figures(invoice, date(2026, 6, 30))
        # from the sending day (10 June): 11 .. 30 June, 20 days at 2.62 % (legal rate, other cases, 2026-H1)
        # 1000 x 2.62 % x 20 / 365 = 524 / 365 = 1.43561... -> 1.44
        self.assertEqual((figure["accrued"], figure["indemnity"]), (1.44, 0.0))
        notice.registered_ack_date = date(2026, 6, 12)
        # from the acknowledgement (12 June): 13 .. 30 June, 18 days: 1000 x 2.62 % x 18 / 365 = 1.29205... -> 1.29
        self.assertEqual(self._figures(invoice, date(2026, 6, 30))["accrued"], 1.29)
        # the legal rate of the second half of 2026 is not published: nothing is computed, the user is told why
        figure = self._figures(invoice, date(2026, 7, 10))
        self.assertEqual(figure["accrued"], 0.0)
        self.assertIn("Legal Interest Rate: Other Cases is known for the second half of 2026", figure["error"])

    def test_contractual_rate_refused_below_the_floor(self):
        with freeze_time("2026-03-15"):
            with self.assertRaisesRegex(ValidationError, "below the legal floor of 7,86"):
                self.debtor.with_company(self.company).collection_penalty_rate = 7.5
            with self.assertRaisesRegex(ValidationError, "below the legal floor"):
                self.policy_b2b.write({"penalty_rate_rule": "contract", "penalty_contract_rate": 7.0})
            self.debtor.with_company(self.company).collection_penalty_rate = 8.0
        invoice = self._invoice(self.debtor, 1000.0)
        # 30 days at 8 %: 6.58 (see TestPenaltyCalculation.test_contractual_rate_floor)
        self.assertEqual(self._figures(invoice, date(2026, 4, 1))["accrued"], 6.58)
        old = self._invoice(self.debtor, 1000.0, due=date(2024, 3, 1))
        self.assertIn("below the legal floor of 15,21", self._figures(old, date(2024, 4, 1))["error"])
        with self.assertRaisesRegex(ValidationError, "40 EUR at least"):
            self.policy_b2b.penalty_indemnity = 30.0

    def test_penalty_invoice_accounting(self):
        late = self._invoice(self.debtor, 1000.0)
        wizard = self._wizard(self.debtor, "2026-04-01")
        self.assertRecordValues(
            wizard.line_ids,
            [{"move_id": late.id, "penalty_amount": 9.99, "indemnity_amount": 40.0, "amount_charged": 49.99}],
        )
        with freeze_time("2026-04-01"):
            penalty_invoice = self.env["account.move"].browse(wizard.action_invoice()["res_id"])
        self.assertEqual(penalty_invoice.state, "posted")
        # the penalty invoice speaks the debtor's language (French), with French dates and numbers
        self.assertEqual(penalty_invoice.ref, "Pénalités de retard et indemnité forfaitaire")
        self.assertFalse(penalty_invoice.line_ids.filtered("tax_line_id"), "no VAT")
        self.assertFalse(penalty_invoice.invoice_line_ids.tax_ids)
        self.assertRecordValues(
            penalty_invoice.invoice_line_ids.sorted("price_unit"),
            [
                {"price_subtotal": 9.99, "price_total": 9.99},
                {"price_subtotal": 40.0, "price_total": 40.0},
            ],
        )
        lines = penalty_invoice.invoice_line_ids.sorted("price_unit")
        self.assertEqual(lines.mapped("account_id.code"), ["763100", "758100"])
        self.assertEqual(
            lines[0].name,
            f"Pénalités de retard sur {late.name} échue le 02/03/2026, du 03/03/2026 au 01/04/2026 (taux : 12,15 %)",
        )
        self.assertEqual(
            lines[1].name,
            f"Indemnité forfaitaire pour frais de recouvrement (Code de commerce L441-10, D441-5) sur {late.name}",
        )
        self.assertEqual(sum(penalty_invoice.line_ids.mapped("balance")), 0.0)
        self.assertEqual(penalty_invoice.amount_total, 49.99)
        receivable = penalty_invoice.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        self.assertEqual(receivable.balance, 49.99)
        with freeze_time("2026-09-01"):
            penalty_invoice.invalidate_recordset()
            self.assertEqual(penalty_invoice.invoice_date_due, date(2026, 4, 1))
            self.assertRecordValues(
                penalty_invoice, [{"collection_penalty_amount": 0.0, "collection_indemnity_amount": 0.0}]
            )  # no penalties on penalties, however late they are paid

    def test_second_invoicing_charges_only_the_new_period_and_cancel_frees_it(self):
        late = self._invoice(self.debtor, 1000.0)
        with freeze_time("2026-04-01"):
            first = self.env["account.move"].browse(self._wizard(self.debtor, "2026-04-01").action_invoice()["res_id"])
        wizard = self._wizard(self.debtor, "2026-05-01")
        # 2 April .. 1 May: 30 days at 12.15 % = 9.99 again; the indemnity was charged already
        self.assertRecordValues(
            wizard.line_ids,
            [{"move_id": late.id, "date_from": date(2026, 4, 2), "penalty_amount": 9.99, "indemnity_amount": 0.0}],
        )
        with freeze_time("2026-05-01"):
            second = self.env["account.move"].browse(wizard.action_invoice()["res_id"])
        self.assertEqual(second.invoice_line_ids.mapped("price_unit"), [9.99])
        self.assertIn("du 02/04/2026 au 01/05/2026", second.invoice_line_ids.name)
        self.assertEqual(self._figures(late, date(2026, 5, 1))["penalty"], 0.0, "nothing left to invoice")
        # the first penalty invoice is cancelled: its penalties and indemnity may be charged again
        first.button_draft()
        first.button_cancel()
        self.assertEqual(first.invoice_line_ids.collection_penalty_id.state, "cancelled")
        figure = self._figures(late, date(2026, 5, 1))
        # 3 March .. 1 May is 60 days, of which the second invoice covers the last 30: 9.99 + 40.00
        self.assertEqual(
            (figure["penalty"], figure["indemnity_due"], figure["date_from"]), (9.99, 40.0, date(2026, 3, 3))
        )

    def test_waived_invoice(self):
        waived = self._invoice(self.debtor, 1000.0)
        charged = self._invoice(self.debtor, 2000.0)
        wizard = self._wizard(
            self.debtor, "2026-04-01", waivers={waived: (9.99, 40.0, "Geste commercial: client fidèle")}
        )
        with freeze_time("2026-04-01"):
            penalty_invoice = self.env["account.move"].browse(wizard.action_invoice()["res_id"])
        # only the other invoice is charged: 2000 x 12.15 % x 30 / 365 = 19.97 (7290 / 365 = 19.9726...) + 40
        self.assertEqual(penalty_invoice.invoice_line_ids.collection_penalty_id.move_id, charged)
        self.assertEqual(penalty_invoice.amount_total, 59.97)
        charge = waived.collection_penalty_ids
        self.assertRecordValues(
            charge, [{"state": "waived", "penalty_waived": 9.99, "indemnity_waived": 40.0, "amount_charged": 0.0}]
        )
        self.assertIn("Reason: Geste commercial: client fidèle", waived.message_ids[0].body)
        self.assertIn("Penalties waived on", self.debtor.message_ids[0].body)
        self.assertEqual(self._figures(waived, date(2026, 4, 1))["indemnity_due"], 0.0, "waived for good")

    def test_wizard_refuses_bad_input_and_writes_nothing(self):
        late = self._invoice(self.debtor, 1000.0)
        with self.assertRaises(AssertionError):  # the form requires the reason of a waiver
            self._wizard(self.debtor, "2026-04-01", waivers={late: (5.0, 0.0, False)})
        wizard = self._wizard(self.debtor, "2026-04-01")
        wizard.line_ids.penalty_waived = 20.0
        wizard.line_ids.waiver_reason = "Trop"
        with self.assertRaisesRegex(UserError, "between zero and the amount owed"):
            wizard.action_invoice()
        self.assertFalse(self.env["recouvrement.penalty"].search([("move_id", "=", late.id)]))
        # a missing rate stops the invoicing, naming the half-year
        self._invoice(self.debtor, 500.0, due=date(2026, 12, 1))
        wizard = self._wizard(self.debtor, "2027-01-10")
        with self.assertRaisesRegex(UserError, "ECB Main Refinancing Rate is known for the first half of 2027"):
            wizard.action_invoice()
        self.assertFalse(self.env["recouvrement.penalty"].search([("partner_id", "=", self.debtor.id)]))

    def test_invoice_from_an_action_of_a_level_flagged_to_invoice(self):
        listed = self._invoice(self.debtor, 1000.0)
        with self.mock_mail_gateway():
            for offset in (14, 30, 60):
                self._run(self._day(offset))
            run = self._run(self._day(90))  # "Last amicable notice" is flagged to invoice the penalties
        action = run.action_ids.filtered(lambda a: a.channel == "email")
        self.assertTrue(action.invoice_penalties)
        self._invoice(self.debtor, 500.0, due=self._day(80))  # late too, but not in this action
        with freeze_time(self._day(90)):
            opened = action.action_invoice_penalties()
            wizard = self.env[opened["res_model"]].with_context(**opened["context"]).create({})
        # 3 March .. 31 May 2026 is 90 days at 12.15 %: 1000 x 12.15 % x 90 / 365 = 10935 / 365 = 29.9589... -> 29.96
        self.assertRecordValues(
            wizard.line_ids, [{"move_id": listed.id, "penalty_amount": 29.96, "indemnity_amount": 40.0}]
        )
        self.assertFalse(self.levels[60].invoice_penalties, "the earlier levels only show them")

    def test_only_managers_invoice_penalties(self):
        self._invoice(self.debtor, 1000.0)
        with freeze_time("2026-04-01"), self.assertRaises(AccessError):
            self.env["recouvrement.penalty.wizard"].with_user(self.agent).with_context(
                active_model="res.partner", active_ids=self.debtor.ids
            ).create({})

    def test_reminder_shows_penalties_per_invoice(self):
        invoice = self._invoice(self.debtor, 1000.0)
        with self.mock_mail_gateway():
            self._run(self._day(14))
            run = self._run(self._day(30))  # "Second reminder" shows the penalties
        body = run.action_ids.filtered(lambda a: a.channel == "email").mail_message_id.body
        # the run of day 30 is on 1 April: 3 March .. 1 April, 30 days at 12.15 % = 9.99, and the 40.00
        self.assertIn("Pénalités de retard", body)
        self.assertIn('<span class="oe_currency_value">9,99</span>', body)  # the debtor reads French
        self.assertIn('<span class="oe_currency_value">40,00</span>', body)
        self.assertIn(invoice.name, body)

    def test_invoice_mentions_the_penalty_terms(self):
        b2b = self._invoice(self.debtor, 100.0)
        b2c = self._invoice(self.consumer, 100.0)
        report = self.env["ir.actions.report"]
        html = report._render_qweb_html("account.report_invoice", b2b.ids)[0].decode()
        # printed in the customer's language
        self.assertIn("au taux de refinancement de la Banque centrale européenne majoré de 10 points", html)
        self.assertIn("indemnité forfaitaire pour frais de recouvrement de 40 EUR par facture (D441-5)", html)
        html = report._render_qweb_html("account.report_invoice", b2c.ids)[0].decode()
        self.assertNotIn("D441-5", html)
        self.company.collection_invoice_mention = False
        html = report._render_qweb_html("account.report_invoice", b2b.ids)[0].decode()
        self.assertNotIn("D441-5", html)

    def test_a_draft_invoice_with_no_customer_yet_prints(self):
        draft = self.env["account.move"].create({"move_type": "out_invoice", "company_id": self.company.id})
        html = self.env["ir.actions.report"]._render_qweb_html("account.report_invoice", draft.ids)[0].decode()
        self.assertIn("Draft Invoice", html)
        self.assertNotIn("D441-5", html)

    def test_foreign_currency_indemnity(self):
        usd = self.setup_other_currency("USD", rates=[("2026-01-01", 1.25)])
        invoice = self._invoice(self.debtor, 1000.0, currency=usd)
        figure = self._figures(invoice, date(2026, 4, 1))
        # penalties in the invoice's currency (9.99 USD), the 40 EUR indemnity converted at 1.25: 50.00 USD
        self.assertEqual((figure["accrued"], figure["indemnity"]), (9.99, 50.0))
