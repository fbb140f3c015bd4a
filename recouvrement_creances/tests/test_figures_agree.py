from datetime import date, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import RecouvrementCommon


@tagged("post_install", "-at_install")
class TestFiguresAgree(RecouvrementCommon):
    """The same figure reads the same on every screen, and each says what it counts."""

    def test_penalties_to_date_are_the_same_on_the_portal_and_the_customer_tab(self):
        self._invoice(self.debtor, 1000.0, due=date(2026, 3, 2))
        self._invoice(self.debtor, 500.0, due=date(2026, 4, 1))
        with freeze_time(date(2026, 6, 1)):
            partner = self.debtor.with_company(self.company)
            page = self.env["recouvrement.portal"]._page_values(partner)
            self.assertGreater(partner.collection_penalty_amount, 0.0)
            # the penalties to date, without the indemnity, which is shown apart (40 EUR per invoice)
            self.assertEqual(page["total_penalties"], partner.collection_penalty_amount)
            self.assertEqual(page["total_indemnity"], 80.0)
            self.assertEqual(partner.collection_indemnity_amount, 80.0)
            self.assertEqual(
                page["total_penalties"],
                sum(partner.invoice_ids.mapped("collection_penalty_amount")),
                "the invoice's tab agrees too",
            )

    def test_the_run_counts_an_invoice_chased_by_email_and_phone_once_per_currency(self):
        usd = self.setup_other_currency("USD", rates=[("2026-01-01", 1.1)])
        self._invoice(self.debtor, 14280.0)
        self._invoice(self.debtor, 3000.0, currency=usd)
        run = self._run(self._day(30), execute=False)  # the +30 level: an email and a call
        self.assertEqual(
            sorted(run.action_ids.mapped("channel")), ["email", "email", "phone", "phone"], "two channels, twice"
        )
        self.assertEqual(
            sorted(run.action_ids.filtered(lambda a: a.currency_id == self.company.currency_id).mapped("amount_total")),
            [14280.0, 14280.0],
        )
        self.assertEqual(run.amount_summary, "14\xa0280,00\xa0€, 1 invoice(s) · $\xa03\xa0000,00, 1 invoice(s)")
        run.action_ids.filtered(lambda a: a.currency_id == usd)._cancel("Réglé en dollars par virement")
        run.invalidate_recordset(["amount_summary"])
        self.assertEqual(run.amount_summary, "14\xa0280,00\xa0€, 1 invoice(s)", "cancelled actions are not counted")
        # the actions' amounts are never summed in lists: the same invoice is in two actions
        fields_info = self.env["recouvrement.action"].fields_get(["amount_total"], ["aggregator"])
        self.assertFalse(fields_info["amount_total"].get("aggregator"))

    def test_a_customer_in_a_contentious_case_shows_its_stage_and_deadline(self):
        invoice = self._invoice(self.debtor, 1000.0)
        partner = self.debtor.with_company(self.company)
        with freeze_time(date(2026, 3, 20)):
            self.assertTrue(partner.collection_next_level_id)
            self.assertEqual(partner.collection_next_step, partner.collection_next_level_id.display_name)
        with freeze_time(date(2026, 6, 1)):
            case = self.env["recouvrement.case"]._open_for_moves(invoice)
            # served on the debtor: the opposition period runs
            case.write(
                {
                    "stage_id": self.env.ref("recouvrement_creances.case_stage_service").id,
                    "stage_date": date(2026, 6, 1),
                }
            )
            partner.invalidate_recordset()
            self.assertTrue(case.date_deadline)
            self.assertEqual(partner.collection_open_case_id, case)
            self.assertEqual(partner.collection_next_step, f"Contentious case {case.name}: {case.stage_id.name}")
            self.assertEqual(partner.collection_next_date, case.date_deadline)
            # a salesperson reads it too, without reading cases
            as_salesman = partner.with_user(self.salesman)
            self.assertEqual(as_salesman.collection_next_step, partner.collection_next_step)

    def test_a_doubtful_debt_stays_in_its_age_column_with_its_invoice(self):
        today = fields.Date.today()
        invoice = self._invoice(self.debtor, 1068.0, due=today - timedelta(days=400))
        case = self.env["recouvrement.case"]._open_for_moves(invoice)
        wizard = self.env["recouvrement.case.accounting.wizard"].create(
            {"case_id": case.id, "operation": "doubtful", "date": today}
        )
        wizard.action_confirm()
        rows = self.env["recouvrement.aged.balance"].search([("partner_id", "=", self.debtor.id)])
        self.assertEqual(sum(rows.mapped("amount_total")), 1068.0)
        self.assertEqual(sum(rows.mapped("amount_over_180")), 1068.0)
        self.assertEqual(sum(rows.mapped("amount_1_30")), 0.0, "the transfer is not a new debt of the day")
        doubtful = self.company._collection_doubtful_account("doubtful")
        [line_416] = rows.filtered(lambda row: row.account_id == doubtful)
        self.assertIn(invoice.name, self.env["account.move.line"].browse(line_416.id).name)
        # the aged balance still agrees with the receivable and doubtful debts accounts
        accounts = (
            self.env["account.account"].search(
                [("company_ids", "in", self.company.id), ("account_type", "=", "asset_receivable")]
            )
            | doubtful
        )
        balance = sum(
            self.env["account.move.line"]
            .search(
                [
                    ("account_id", "in", accounts.ids),
                    ("parent_state", "=", "posted"),
                    ("company_id", "=", self.company.id),
                ]
            )
            .mapped("balance")
        )
        total = sum(
            self.env["recouvrement.aged.balance"].search([("company_id", "=", self.company.id)]).mapped("amount_total")
        )
        self.assertAlmostEqual(total, balance, places=2)

    def test_levels_name_their_policy_and_a_policy_counts_its_default_customers(self):
        level = self.levels[14]
        self.assertEqual(level.display_name, f"First reminder (+14 d) · {self.policy_b2b.name}")
        counted = self.policy_b2b.partner_count
        self._invoice(self._debtor("Nouveau Client SAS"), 100.0)  # a company without a policy of its own
        self.policy_b2b.invalidate_recordset(["partner_count"])
        self.assertEqual(self.policy_b2b.partner_count, counted + 1)
        individual = self._debtor("Jeanne Martin", is_company=False)
        self._invoice(individual, 100.0)
        self.policy_b2b.invalidate_recordset(["partner_count"])
        self.policy_b2c.invalidate_recordset(["partner_count"])
        self.assertEqual(self.policy_b2b.partner_count, counted + 1, "an individual has the B2C policy")
        individual.with_company(self.company).collection_policy_id = self.policy_b2b
        self.policy_b2b.invalidate_recordset(["partner_count"])
        self.assertEqual(self.policy_b2b.partner_count, counted + 2, "set on the customer: counted once")

    def test_the_reminder_email_header_has_no_internal_label(self):
        self._invoice(self.debtor, 1000.0)
        with self.mock_mail_gateway():
            self._run(self._day(14))
        [mail] = [mail for mail in self._mails if "debtor.one@example.com" in str(mail["email_to"])]
        # the debtor speaks French: the header reads "Votre relevé de compte", never the model's label
        self.assertIn("Votre relevé de compte", mail["body"])
        self.assertNotIn("ction de recouvrement", mail["body"])

    def test_dates_and_file_names_read_as_french(self):
        invoice = self._invoice(self.debtor, 900.0)
        self.company.partner_id.lang = "fr_FR"
        self.env["res.lang"]._activate_lang("fr_FR")
        plan = self._plan(invoice, date(2026, 4, 1))
        self.assertEqual(plan.name, "Debtor One – 22/03/2026")
        report = self.env.ref("recouvrement_creances.action_report_collection_statement")
        self.debtor.lang = "fr_FR"
        self.assertEqual(safe_eval(report.print_report_name, {"object": self.debtor}), "Relevé de compte - Debtor One")
        self.debtor.lang = "en_US"
        self.assertEqual(
            safe_eval(report.print_report_name, {"object": self.debtor}), "Statement of account - Debtor One"
        )
        # the formal notice's letter, kept as evidence under a French name
        self.company.write({"collection_legal_form": "SARL au capital de 50 000 €", "city": "Lyon"})
        other = self._debtor("Boulangerie Durand", lang="fr_FR", email=False)
        self._invoice(other, 700.0)
        run = self._run(self._day(100), execute=False, partners=other)
        letter = run.action_ids.filtered(lambda a: a.channel == "registered_letter")
        with freeze_time(self._day(100)):
            letter.action_execute()
        self.assertEqual(
            letter.letter_attachment_id.name,
            f"Formal notice (mise en demeure) – Boulangerie Durand – {self._day(100):%d-%m-%Y}.pdf",
        )


@tagged("post_install", "-at_install")
class TestFollowUpMode(RecouvrementCommon):
    """A customer in manual mode is proposed but never executed by the daily run; Odoo's customer list filters
    on the collection status."""

    def test_the_daily_run_leaves_a_manual_customer_to_someone(self):
        manual = self._debtor("Client Manuel SARL")
        self._invoice(self.debtor, 1000.0)
        self._invoice(manual, 1000.0)
        manual.with_company(self.company).collection_mode = "manual"
        with self.mock_mail_gateway():
            self._cron(self._day(14))
        self.assertEqual(self._actions(self.debtor).mapped("state"), ["pending"])
        self.assertEqual(self._actions(manual).mapped("state"), ["proposed"], "proposed, not sent")
        self.assertFalse(
            [mail for mail in self._mails if "client.manuel.sarl@example.com" in str(mail["email_to"])],
        )
        # someone executes it: then it goes
        with self.mock_mail_gateway():
            self._actions(manual).with_user(self.agent).action_execute()
            self._deliver()
        self.assertEqual(self._actions(manual).mapped("state"), ["done"])

    def test_an_agent_sets_the_mode_a_salesperson_may_not(self):
        self.debtor.with_user(self.agent).with_company(self.company).collection_mode = "manual"
        self.assertEqual(self.debtor.with_company(self.company).collection_mode, "manual")
        with self.assertRaises(AccessError):
            self.debtor.with_user(self.salesman).with_company(self.company).collection_mode = "auto"

    def test_customer_list_filters(self):
        late = self._debtor("En Retard SARL")
        early = self._debtor("A Echoir SARL")
        held = self._debtor("Bloque SARL")
        self._invoice(late, 1000.0, due=date(2026, 3, 2))
        self._invoice(early, 1000.0, due=date(2026, 6, 30))
        self._invoice(held, 1000.0, due=date(2026, 6, 30))
        self.env["recouvrement.credit.hold"].create(
            {"partner_id": held.id, "company_id": self.company.id, "reason": "Impayés chez un confrère"}
        )
        Partner = self.env["res.partner"].with_company(self.company)
        mine = late | early | held
        with freeze_time(date(2026, 4, 1)):
            self.assertEqual(Partner.search([("collection_amount_overdue", ">", 0), ("id", "in", mine.ids)]), late)
            self.assertEqual(Partner.search([("collection_credit_hold", "=", True), ("id", "in", mine.ids)]), held)
            self.assertEqual(
                Partner.search([("collection_next_date", "<=", "2026-04-01"), ("id", "in", mine.ids)]), late
            )
            self.assertEqual(
                Partner.search([("collection_amount_overdue", "<=", 0), ("id", "in", mine.ids)]), early | held
            )
        # the list's columns and filters are in Odoo's own customer views
        arch = Partner.get_views([(False, "list"), (False, "search")])["views"]
        for name in ("collection_next_date", "collection_level_id", "collection_amount_overdue"):
            self.assertIn(f'name="{name}"', arch["list"]["arch"])
        for name in ("collection_follow_up_needed", "collection_overdue", "collection_on_hold"):
            self.assertIn(f'name="{name}"', arch["search"]["arch"])

    def test_the_overdue_invoices_show_what_remains_due_and_the_next_step(self):
        invoice = self._invoice(self.debtor, 1000.0)
        self._pay(invoice, 400.0, date(2026, 3, 10))
        action = self.env.ref("recouvrement_creances.action_overdue_invoices")
        arch = self.env["account.move"].get_views([(action.view_id.id, "list")])["views"]["list"]["arch"]
        for name in (
            "amount_residual_signed",
            "collection_days_overdue",
            "collection_level_id",
            "collection_next_date",
        ):
            self.assertIn(f'name="{name}"', arch)
        with freeze_time(date(2026, 3, 20)):
            invoice.invalidate_recordset()
            self.assertEqual((invoice.amount_residual, invoice.collection_days_overdue), (600.0, 18))
            self.assertIn(invoice.collection_next_level_id, self.policy_b2b.level_ids)
            self.assertTrue(invoice.collection_next_date)
