import io
import re
import subprocess
import tempfile
from datetime import date, timedelta

import openpyxl
from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import RecouvrementCommon

YEAR_END = date(2025, 12, 31)
TRANCHES = ("0", "1_30", "31_60", "61_90", "91", "late")
# the headers of the two tables, as the model of the arrêté words them
RECEIVED_TITLE, ISSUED_TITLE = (
    "Article D. 441 I.-1° : Factures reçues non réglées à la date de clôture de l'exercice dont le terme est échu",
    "Article D. 441 I.-2° : Factures émises non réglées à la date de clôture de l'exercice dont le terme est échu",
)
FRENCH_COLUMNS = (
    "0 jour (indicatif)",
    "1 à 30 jours",
    "31 à 60 jours",
    "61 à 90 jours",
    "91 jours et plus",
    "Total (1 jour et plus)",
)

# The figures of the fixture, worked out by hand (see setUpClass for each document). Amounts include 20 % VAT.
ISSUED = {
    # not due at the year end: F3 600.00 (due 19/01/2026) + F5's second installment 1200.00 (due 13/01/2026)
    "0": {"count": 2, "amount": 1800.00, "percent": 20.73},  # 1800 / 8684.50 = 20.726 %
    # F1 1481.40 - 400 paid on 20/12/2025 = 1081.40 (16 days late) + F6 300.00 (11 days late; disputed only in 2026)
    "1_30": {"count": 2, "amount": 1381.40, "percent": 15.91},  # 1381.40 / 8684.50 = 15.906 %
    # F5's first installment 1200.00, due 14/11/2025: 47 days late
    "31_60": {"count": 1, "amount": 1200.00, "percent": 13.82},  # 1200 / 8684.50 = 13.818 %
    # F4 (61 days late) is in dispute: in (B)
    "61_90": {"count": 0, "amount": 0.00, "percent": 0.00},
    # F2 2400.00 (due 30/09/2025: 92 days) + F-USD 1320 $ - 660 $ paid = 660 $ at 1.1 = 600.00 (214 days)
    "91": {"count": 2, "amount": 3000.00, "percent": 34.54},  # 3000 / 8684.50 = 34.544 %
    # F1, F6, F5, F2, F-USD; 1381.40 + 1200 + 3000 = 5581.40
    "late": {"count": 5, "amount": 5581.40, "percent": 64.27},  # 5581.40 / 8684.50 = 64.269 %
}
# turnover excl. VAT of 2025: F1 1234.50 + F2 2000 + F3 500 + F4 1500 + F5 2000 + F-USD 1000 + F6 250 + F7 400
# + F9 100 - credit note 300 = 8684.50 (F8, dated 2026, is not in it)
TURNOVER = 8684.50
# F4 1800.00 (61-90 days) in dispute since 15/11/2025 + F7 480.00 (not due), in dispute from 10/12/2025 to 20/01/2026
ISSUED_EXCLUDED = {"count": 2, "amount": 2280.00}
RECEIVED = {
    "0": {"count": 1, "amount": 960.00, "percent": 16.55},  # B3 960.00 due on the year end itself; 960 / 5800
    "1_30": {"count": 1, "amount": 2000.00, "percent": 34.48},  # B1 3600 - 1600 paid on 15/12/2025 = 2000; 21 days
    "31_60": {"count": 0, "amount": 0.00, "percent": 0.00},
    "61_90": {"count": 0, "amount": 0.00, "percent": 0.00},  # B4 (77 days late) is in dispute: in (B)
    "91": {"count": 1, "amount": 1200.00, "percent": 20.69},  # B2 1200.00, due 30/08/2025: 123 days; 1200 / 5800
    "late": {"count": 2, "amount": 3200.00, "percent": 55.17},  # 2000 + 1200 = 3200; 3200 / 5800 = 55.172 %
}
# purchases excl. VAT of 2025: B1 3000 + B2 1000 + B3 800 + B4 700 + B6 500 - vendor credit note 200 = 5800
PURCHASES = 5800.00
RECEIVED_EXCLUDED = {"count": 1, "amount": 840.00}  # B4 700 + 20 % VAT


def pdf_text(pdf):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        text = subprocess.run(
            ["pdftotext", "-layout", file.name, "-"], capture_output=True, text=True, check=True
        ).stdout
    # French numbers are grouped with (narrow) no-break spaces
    return text.replace("\u202f", " ").replace("\xa0", " ")


@tagged("post_install", "-at_install")
class TestPaymentDelayTable(RecouvrementCommon):
    """The D. 441-6 table of a year end, on invoices and bills whose figures are worked out by hand above."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.tz = "Europe/Paris"
        cls.sale_tax, cls.purchase_tax = (
            cls.env["account.tax"].create(
                {"name": f"TVA 20 % ({use})", "amount": 20.0, "type_tax_use": use, "company_id": cls.company.id}
            )
            for use in ("sale", "purchase")
        )
        cls.net_30, cls.net_60 = (
            cls.env["account.payment.term"].create(
                {"name": f"Net {days}", "line_ids": [Command.create({"value_amount": 100.0, "nb_days": days})]}
            )
            for days in (30, 60)
        )
        cls.split_term = cls.env["account.payment.term"].create(
            {
                "name": "Half at 30 days, half at 90 days",
                "line_ids": [
                    Command.create({"value_amount": 50.0, "nb_days": 30}),
                    Command.create({"value_amount": 50.0, "nb_days": 90}),
                ],
            }
        )
        cls.usd = cls.setup_other_currency("USD", rates=[("2025-01-01", 1.1)])
        customer, supplier = cls.debtor, cls._debtor("Supplier One")
        day = date.fromisoformat
        invoice = cls._document
        # customer invoices
        cls.f1 = invoice("out_invoice", customer, 1234.50, day("2025-11-15"), cls.net_30)  # due 15/12/2025
        cls._pay_on(cls.f1, 400.0, day("2025-12-20"))
        cls._pay_on(cls.f1, 500.0, day("2026-01-10"))  # after the year end: still owed then
        cls.f2 = invoice("out_invoice", customer, 2000.0, day("2025-08-01"), cls.net_60)  # due 30/09/2025
        cls.f3 = invoice("out_invoice", customer, 500.0, day("2025-12-20"), due=day("2026-01-19"))  # no terms
        cls._pay_on(cls.f3, 600.0, day("2026-01-15"))
        cls.f4 = invoice("out_invoice", customer, 1500.0, day("2025-10-01"), cls.net_30)  # due 31/10/2025
        cls._dispute(cls.f4, day("2025-11-15"), True)
        cls.f5 = invoice("out_invoice", customer, 2000.0, day("2025-10-15"), cls.split_term)  # 14/11/2025, 13/01/2026
        cls.f_usd = invoice("out_invoice", customer, 1100.0, day("2025-05-01"), cls.net_30, currency=cls.usd)
        cls._pay_on(cls.f_usd, 660.0, day("2025-09-01"))  # in dollars, at 1.1: 600.00
        cls.f6 = invoice("out_invoice", customer, 250.0, day("2025-11-20"), cls.net_30)  # due 20/12/2025
        cls._dispute(cls.f6, day("2026-02-01"), True)  # disputed after the year end: not at it
        cls.f7 = invoice("out_invoice", customer, 400.0, day("2025-12-05"), cls.net_30)  # due 04/01/2026
        cls._dispute(cls.f7, day("2025-12-10"), True)
        cls._dispute(cls.f7, day("2026-01-20"), False)  # resolved after the year end: disputed at it
        cls.f8 = invoice("out_invoice", customer, 700.0, day("2026-01-05"), cls.net_30)  # after the year end
        cls.f9 = invoice("out_invoice", customer, 100.0, day("2025-11-01"), due=day("2025-11-01"))
        cls._pay_on(cls.f9, 120.0, day("2025-11-20"))  # paid before the year end
        cls.credit_note = invoice("out_refund", customer, 300.0, day("2025-12-10"), due=day("2025-12-10"))
        # vendor bills
        cls.b1 = invoice("in_invoice", supplier, 3000.0, day("2025-11-10"), cls.net_30)  # due 10/12/2025
        cls._pay_on(cls.b1, 1600.0, day("2025-12-15"))
        cls._pay_on(cls.b1, 2000.0, day("2026-01-05"))
        cls.b2 = invoice("in_invoice", supplier, 1000.0, day("2025-07-01"), cls.net_60)  # due 30/08/2025
        cls.b3 = invoice("in_invoice", supplier, 800.0, day("2025-12-01"), due=YEAR_END)  # no terms
        cls.b4 = invoice("in_invoice", supplier, 700.0, day("2025-09-15"), cls.net_30)  # due 15/10/2025
        cls.b4.collection_dispute = True  # not tracked: the current flag is taken
        invoice("in_refund", supplier, 200.0, day("2025-12-05"), due=day("2025-12-05"))
        cls.b6 = invoice("in_invoice", supplier, 500.0, day("2025-03-01"), due=day("2025-03-31"))
        cls._pay_on(cls.b6, 600.0, day("2025-04-01"))
        cls.table = cls.env["recouvrement.payment.delay.table"].create({"company_id": cls.company.id, "date": YEAR_END})

    @classmethod
    def _document(cls, move_type, partner, untaxed, invoice_date, term=None, due=None, currency=None):
        """A posted invoice, bill or credit note of ``untaxed`` plus 20 % VAT, with payment terms ``term`` or else
        due on ``due``."""
        tax = cls.sale_tax if move_type.startswith("out_") else cls.purchase_tax
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "invoice_date": invoice_date,
                **({"invoice_payment_term_id": term.id} if term else {"invoice_date_due": due}),
                "currency_id": (currency or cls.company.currency_id).id,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Goods", "quantity": 1, "price_unit": untaxed, "tax_ids": [Command.set(tax.ids)]}
                    )
                ],
            }
        )
        move.action_post()
        return move

    @classmethod
    def _pay_on(cls, move, amount, on_date):
        cls.env["account.payment.register"].with_context(active_model="account.move", active_ids=move.ids).create(
            {"amount": amount, "payment_date": on_date}
        )._create_payments()

    @classmethod
    def _dispute(cls, move, on_date, disputed):
        """Put ``move`` in dispute (or end its dispute) on ``on_date``, tracked as the user does it (the pending
        changes are flushed first: the invoice's own creation leaves its tracking discarded until then)."""
        cls.env.cr.flush()
        with freeze_time(on_date):
            tracked = move.with_context(tracking_disable=False, mail_notrack=False)
            if disputed:
                tracked._collection_put_in_dispute("Goods not delivered")
            else:
                tracked.collection_dispute = False
            cls.env.cr.flush()

    def _french_table(self):
        return self.table.with_context(lang="fr_FR")

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------

    def test_fixture_as_written(self):
        self.assertEqual(self.company.currency_id.name, "EUR")
        self.assertEqual(self.f1.amount_total, 1481.40)
        self.assertEqual(self.f_usd.amount_total_signed, 1320.0 / 1.1)
        self.assertEqual(
            sorted(
                self.f5.line_ids.filtered(lambda line: line.account_type == "asset_receivable").mapped("date_maturity")
            ),
            [date(2025, 11, 14), date(2026, 1, 13)],
        )
        self.assertEqual((self.f1.invoice_date_due, self.f2.invoice_date_due), (date(2025, 12, 15), date(2025, 9, 30)))
        # today: the payments of 2026 are deducted, the disputes are where they ended
        self.assertEqual(
            (self.f1.amount_residual, self.f3.payment_state, self.b1.payment_state), (581.40, "paid", "paid")
        )
        self.assertEqual((self.f4 | self.f6 | self.f7).mapped("collection_dispute"), [True, True, False])
        tracked = (
            self.env["mail.tracking.value"]
            .sudo()
            .search(
                [
                    ("mail_message_id.res_id", "in", (self.f4 | self.f6 | self.f7).ids),
                    ("field_id.name", "=", "collection_dispute"),
                ]
            )
        )
        self.assertEqual(len(tracked), 4)

    def test_figures(self):
        figures = self.table._payment_delay_figures()
        self.assertEqual((figures["date"], figures["date_from"]), (YEAR_END, date(2025, 1, 1)))
        for side, expected, excluded, base in (
            ("issued", ISSUED, ISSUED_EXCLUDED, TURNOVER),
            ("received", RECEIVED, RECEIVED_EXCLUDED, PURCHASES),
        ):
            with self.subTest(side=side):
                table = figures[side]
                self.assertEqual(table["base"], base)
                self.assertEqual(table["tranches"], expected)
                self.assertEqual({key: table["excluded"][key] for key in ("count", "amount")}, excluded)
        # (C): the terms of the invoices counted in (A), and the legal terms for those without (F3, B3)
        legal = "60 days from the invoice date, or 45 days end of month (article L. 441-10 of the Code de commerce)"
        self.assertEqual(figures["issued"]["contractual_terms"], "Net 30, Net 60, Half at 30 days, half at 90 days")
        self.assertEqual(figures["received"]["contractual_terms"], "Net 30, Net 60")
        self.assertEqual((figures["issued"]["legal_terms"], figures["received"]["legal_terms"]), (legal, legal))

    def test_legal_terms_only_when_an_invoice_has_none(self):
        self.f3.button_draft()
        self.f3.invoice_payment_term_id = self.net_30
        self.f3.action_post()
        figures = self.table._payment_delay_figures()
        self.assertEqual(figures["issued"]["legal_terms"], "")
        self.assertTrue(figures["received"]["legal_terms"])

    def test_agreement_with_the_aged_balance_at_the_year_end(self):
        """(A) + (B) of the invoices issued, tranche by tranche, are the aged balance's invoice items at the year
        end, to the cent."""
        issued = self.table._payment_delay_figures()["issued"]
        aged = self.env["recouvrement.aged.balance"].with_context(aged_balance_date=YEAR_END)
        columns = ("not_due", "1_30", "31_60", "61_90", "91_180", "over_180")
        [sums] = aged._read_group(
            [("company_id", "=", self.company.id), ("move_id.move_type", "=", "out_invoice")],
            aggregates=[f"amount_{column}:sum" for column in columns],
        )
        balance = dict(zip(columns, sums, strict=True))
        self.assertEqual(
            balance,
            {"not_due": 2280.0, "1_30": 1381.40, "31_60": 1200.0, "61_90": 1800.0, "91_180": 2400.0, "over_180": 600.0},
        )
        currency = self.company.currency_id
        for tranche, aged_columns in (
            ("0", ["not_due"]),
            ("1_30", ["1_30"]),
            ("31_60", ["31_60"]),
            ("61_90", ["61_90"]),
            ("91", ["91_180", "over_180"]),
        ):
            with self.subTest(tranche=tranche):
                table = issued["tranches"][tranche]["amount"] + issued["excluded"]["amounts"][tranche]
                self.assertTrue(currency.is_zero(table - sum(balance[column] for column in aged_columns)))
        self.assertEqual(
            issued["excluded"]["amounts"],
            {"0": 480.0, "1_30": 0.0, "31_60": 0.0, "61_90": 1800.0, "91": 0.0, "late": 1800.0},
        )

    def test_aged_balance_at_a_date_and_today(self):
        """At the year end, the payments and invoices dated later are left out; today's balance is untouched."""
        items = {
            "at the year end": self.env["recouvrement.aged.balance"].with_context(aged_balance_date=YEAR_END),
            "today": self.env["recouvrement.aged.balance"],
        }
        totals = {
            when: dict(
                aged._read_group(
                    [("move_id", "in", (self.f1 | self.f3 | self.f8 | self.f9).ids)], ["move_id"], ["amount_total:sum"]
                )
            )
            for when, aged in items.items()
        }
        self.assertEqual(totals["at the year end"], {self.f1: 1081.40, self.f3: 600.0})
        self.assertEqual(totals["today"], {self.f1: 581.40, self.f8: 840.0})
        # the ORM caches a row of the view by its id whatever the date: the days are read through _read_group
        days = {
            when: aged._read_group([("move_id", "=", self.f1.id)], aggregates=["days_overdue:max"])[0][0]
            for when, aged in items.items()
        }
        self.assertEqual(days, {"at the year end": 16, "today": (fields.Date.today() - date(2025, 12, 15)).days})

    def test_default_date_and_future_date(self):
        today = fields.Date.today()
        table = self.env["recouvrement.payment.delay.table"].create({})
        self.assertEqual(table.company_id, self.env.company)
        self.assertEqual(
            table.date, self.env.company.compute_fiscalyear_dates(today - relativedelta(years=1))["date_to"]
        )
        self.assertLess(table.date, today)
        with self.assertRaisesRegex(UserError, "dans le futur"):
            self.env["recouvrement.payment.delay.table"].with_context(lang="fr_FR").create(
                {"date": today + timedelta(days=1)}
            )

    def test_access_of_managers_and_accountants(self):
        accountant = new_test_user(
            self.env,
            "accountant",
            groups="account.group_account_manager",
            company_id=self.company.id,
            company_ids=self.company.ids,
        )
        for user in (self.manager, accountant):
            with self.subTest(user=user.login):
                table = self.env["recouvrement.payment.delay.table"].with_user(user).create({"date": YEAR_END})
                self.assertEqual(table._payment_delay_figures()["issued"]["tranches"]["late"]["amount"], 5581.40)
                self.assertEqual(
                    table.action_print_pdf()["report_name"], "recouvrement_creances.report_payment_delay_table"
                )
        # an administrator of a company whose document layout is not configured gets the PDF too
        self.company.external_report_layout_id = False
        self.assertTrue(self.env.is_admin())
        self.assertEqual(self.table.action_print_pdf()["type"], "ir.actions.report")
        with self.assertRaises(UserError):  # an agent does not publish the company's figures
            self.env["recouvrement.payment.delay.table"].with_user(self.agent).create({"date": YEAR_END})

    # ------------------------------------------------------------------
    # What the user gets
    # ------------------------------------------------------------------

    def test_pdf(self):
        report = self.env.ref("recouvrement_creances.action_report_payment_delay_table")
        pdf, kind = report.with_context(lang="fr_FR", force_report_rendering=True)._render_qweb_pdf(
            report.report_name, self.table.ids
        )
        self.assertEqual(kind, "pdf")
        text = pdf_text(pdf)
        for label in (
            self.company.name,
            "Date de clôture de l'exercice : 31/12/2025",
            RECEIVED_TITLE,
            ISSUED_TITLE,
            "(A) Tranches de retard de paiement",
            *FRENCH_COLUMNS,
            "Nombre de factures concernées",
            "Montant total des factures concernées (TTC)",
            "Pourcentage du montant total des achats de l'exercice (HT)",
            "Pourcentage du chiffre d'affaires de l'exercice (HT)",
            "(B) Factures exclues du (A) relatives à des dettes et créances litigieuses ou non comptabilisées",
            "Nombre des factures exclues",
            "Montant total des factures exclues (TTC)",
            "(C) Délais de paiement de référence utilisés (contractuel ou délai légal – article L. 441-10 ou article",
            "Délais de paiement utilisés pour le calcul des retards de paiement",
            "☒ Délais contractuels : Net 30, Net 60",
            "☒ Délais légaux : 60 jours à compter de la date d'émission de la facture, ou 45 jours fin de mois",
            "Les avoirs ne sont pas des factures",
        ):
            self.assertIn(label, text)
        received, issued = text.split("Article D. 441 I.-2°")
        for part, expected, excluded in ((received, RECEIVED, RECEIVED_EXCLUDED), (issued, ISSUED, ISSUED_EXCLUDED)):
            with self.subTest(table=part[:40]):
                self.assertEqual(
                    self._row(part, "Nombre de factures concernées"), [str(expected[key]["count"]) for key in TRANCHES]
                )
                self.assertEqual(
                    self._row(part, "Montant total des factures concernées (TTC)"),
                    [self._euros(expected[key]["amount"]) for key in TRANCHES],
                )
                self.assertEqual(
                    self._row(part, "Pourcentage du"),
                    [f"{expected[key]['percent']:.2f} %".replace(".", ",") for key in TRANCHES],
                )
                self.assertEqual(self._row(part, "Nombre des factures exclues"), [str(excluded["count"])])
                self.assertEqual(
                    self._row(part, "Montant total des factures exclues (TTC)"), [self._euros(excluded["amount"])]
                )

    @staticmethod
    def _row(text, label):
        """The cells printed on the line of ``label``, after it."""
        [line] = [line for line in text.splitlines() if line.strip().startswith(label)]
        return re.split(r"\s{2,}", line.strip())[1:]

    @staticmethod
    def _euros(amount):
        """``amount`` as printed in French: 1 381,40 €."""
        return f"{amount:,.2f} €".replace(",", " ").replace(".", ",")

    def test_xlsx(self):
        action = self._french_table().action_download_xlsx()
        attachment = self.env["ir.attachment"].browse(int(re.search(r"/web/content/(\d+)", action["url"]).group(1)))
        self.assertEqual(attachment.name, "Tableau des délais de paiement 2025-12-31.xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(attachment.raw)).active
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        labels = [row[0] for row in rows]
        self.assertEqual(rows[1][0], self.company.name)
        self.assertEqual(
            rows[2][0], "Date de clôture de l'exercice : 31/12/2025 (exercice du 01/01/2025 au 31/12/2025)"
        )
        sides = [labels.index(RECEIVED_TITLE), labels.index(ISSUED_TITLE)]
        for start, expected, excluded, percent_label in (
            (sides[0], RECEIVED, RECEIVED_EXCLUDED, "Pourcentage du montant total des achats de l'exercice (HT)"),
            (sides[1], ISSUED, ISSUED_EXCLUDED, "Pourcentage du chiffre d'affaires de l'exercice (HT)"),
        ):
            with self.subTest(row=start):
                block = {row[0]: list(row[1:]) for row in rows[start : start + 12]}
                self.assertEqual(block["(A) Tranches de retard de paiement"], list(FRENCH_COLUMNS))
                self.assertEqual(block["Nombre de factures concernées"], [expected[key]["count"] for key in TRANCHES])
                self.assertEqual(
                    block["Montant total des factures concernées (TTC)"], [expected[key]["amount"] for key in TRANCHES]
                )
                self.assertEqual(
                    [round(value * 100, 2) for value in block[percent_label]],
                    [expected[key]["percent"] for key in TRANCHES],
                )
                self.assertEqual(block["Nombre des factures exclues"][0], excluded["count"])
                self.assertEqual(block["Montant total des factures exclues (TTC)"][0], excluded["amount"])
                terms = block["Délais de paiement utilisés pour le calcul des retards de paiement"][0]
                self.assertTrue(terms.startswith("☒ Délais contractuels : Net 30, Net 60"), terms)
        self.assertIn(
            "(B) Factures exclues du (A) relatives à des dettes et créances litigieuses ou non comptabilisées", labels
        )
