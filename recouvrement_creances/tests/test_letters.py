import re
import subprocess
import tempfile
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import BaseCase, tagged

from ..tools import euros_in_words
from .common import RecouvrementCommon

MM_PER_POINT = 25.4 / 72


def pdf_text(pdf, page=None):
    """The text of a PDF (or of one of its pages) as pdftotext extracts it."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        pages = ["-f", str(page), "-l", str(page)] if page else []
        return subprocess.run(
            ["pdftotext", "-layout", *pages, file.name, "-"], capture_output=True, text=True, check=True
        ).stdout


def pdf_words(pdf):
    """[(word, x mm, y mm)] of the first page: where each word is printed on the sheet."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        html = subprocess.run(
            ["pdftotext", "-bbox", "-f", "1", "-l", "1", file.name, "-"], capture_output=True, text=True, check=True
        ).stdout
    return [
        (word, float(x) * MM_PER_POINT, float(y) * MM_PER_POINT)
        for x, y, word in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', html)
    ]


def pdf_pages(pdf):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        info = subprocess.run(["pdfinfo", file.name], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


@tagged("post_install", "-at_install")
class TestAmountInWords(BaseCase):
    def test_tricky_amounts_in_french(self):
        self.assertEqual(
            [euros_in_words(amount) for amount in (0.01, 1, 21, 71, 80, 81, 91, 100, 200, 1000, 1234.50, 1_000_000)],
            [
                "un centime",
                "un euro",
                "vingt et un euros",
                "soixante et onze euros",
                "quatre-vingts euros",
                "quatre-vingt-un euros",
                "quatre-vingt-onze euros",
                "cent euros",
                "deux cents euros",
                "mille euros",
                "mille deux cent trente-quatre euros et cinquante centimes",
                "un million d'euros",
            ],
        )


@tagged("post_install", "-at_install")
class TestLetters(RecouvrementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"collection_legal_form": "SARL au capital de 50 000 €", "city": "Lyon"})
        cls.french = cls._debtor("Boulangerie Durand", lang="fr_FR", email=False)

    def _formal_notice(self, partner, amounts):
        """A formal notice executed on day 100 for invoices of ``amounts`` due on DUE (2 March 2026)."""
        invoices = [self._invoice(partner, amount) for amount in amounts]
        run = self._run(self._day(100), execute=False, partners=partner)
        notice = run.action_ids.filtered(lambda a: a.channel == "registered_letter")
        with freeze_time(self._day(100)):
            notice.with_context(force_report_rendering=True).action_execute()
        return notice, invoices

    def test_formal_notice_pdf(self):
        notice, invoices = self._formal_notice(self.french, [1000.0, 234.5])
        self.assertEqual(notice.state, "done")
        pdf = notice.letter_attachment_id.raw
        self.assertEqual(pdf[:4], b"%PDF")
        text = " ".join(pdf_text(pdf).split())
        # the mentions
        self.assertIn("MISE EN DEMEURE", text)
        self.assertIn("Lettre recommandée avec accusé de réception", text)
        self.assertIn("Lyon, le 10 juin 2026", text)
        self.assertIn("SIREN 842137507 – SIRET 84213750700013", text)
        self.assertIn("SARL au capital de 50 000 €", text)
        # each invoice with its amount; penalties of 100 days at 12.15 %: 1000 x 12.15 % x 100 / 365 = 33.29
        # and 234.50 x 12.15 % x 100 / 365 = 7.81; 40 EUR indemnity each
        for invoice, amount, penalty in zip(invoices, ("1 000,00 €", "234,50 €"), ("33,29 €", "7,81 €"), strict=True):
            self.assertRegex(text, rf"{re.escape(invoice.name)} .*{amount} {penalty} 40,00 €")
        # total claimed: 1234.50 + 41.10 + 80.00 = 1355.60, in figures and in words
        self.assertIn("1 355,60 €", text)
        self.assertIn("(mille trois cent cinquante-cinq euros et soixante centimes)", text)
        # deadline: sent on 10 June, received 3 days later, plus 8 days
        self.assertIn("le 21/06/2026 au plus tard", text)
        self.assertIn("FR76 3000 6000 0112 3456 7890 189", text)
        self.assertIn("L441-10", text)
        self.assertIn("injonction de payer", text)
        # the address sits in the window of the envelope: 100 mm from the left, 45-55 mm from the top
        x, y = next((x, y) for word, x, y in pdf_words(pdf) if word == "Boulangerie")
        self.assertTrue(95 <= x <= 105 and 43 <= y <= 56, (x, y))

    def test_acknowledgement_moves_the_deadline(self):
        notice, _invoices = self._formal_notice(self.french, [500.0])
        self.assertEqual(notice.registered_sent_date, date(2026, 6, 10))
        self.assertEqual(notice.notice_deadline, date(2026, 6, 21), "sent + 3 days + 8 days")
        notice.write({"registered_ack_date": date(2026, 6, 16), "registered_number": "1A 123 456 7890 1"})
        self.assertEqual(notice.notice_deadline, date(2026, 6, 24), "received + 8 days")
        notice.registered_outcome = "unclaimed"
        self.assertEqual(notice.registered_outcome, "unclaimed")

    def test_bad_input_is_refused_before_rendering(self):
        cases = [
            (lambda: self.french.write({"street": False}), "no complete postal address"),
            (lambda: self.company_bank.unlink(), "has no bank account"),
            (lambda: self.company.write({"company_registry": False}), "has no SIREN/SIRET"),
        ]
        for break_it, message in cases:
            with self.subTest(message=message), self.env.cr.savepoint(flush=False) as savepoint:
                self._invoice(self.french, 300.0)
                break_it()
                run = self._run(self._day(100), execute=False, partners=self.french)
                with self.assertRaisesRegex(UserError, message):
                    run.action_ids.with_context(force_report_rendering=True).action_execute()
                self.assertEqual(run.action_ids.state, "proposed")
                self.assertFalse(run.action_ids.letter_attachment_id)
                savepoint.rollback()

    def test_batch_of_letters_merged_one_per_page(self):
        debtors = self.env["res.partner"]
        for index in range(25):
            debtors |= self._debtor(f"Client Postal {index:02d}", email=False)
            self._invoice(debtors[-1], 100.0 + index)
        run = self._run(self._day(14), execute=False, partners=debtors)
        run.with_context(force_report_rendering=True).action_execute()
        self.assertEqual(len(run.action_ids.letter_attachment_id), 25)
        download = run.action_print_letters()
        merged = self.env["ir.attachment"].browse(int(re.search(r"/web/content/(\d+)", download["url"]).group(1)))
        self.assertEqual(pdf_pages(merged.raw), 25)
        for page in range(1, 26):
            text = pdf_text(merged.raw, page)
            self.assertEqual(text.split()[0], self.company.name, f"page {page} starts a letter")
            self.assertIn(f"Client Postal {page - 1:02d}", text, f"page {page}")
            self.assertIn(f"{100 + page - 1},00", text)

    def test_statement_of_account(self):
        self._invoice(self.french, 100.0, due=date(2026, 3, 20))  # 12 days late on 1 April
        self._invoice(self.french, 200.0, due=date(2026, 1, 20))  # 71 days
        self._invoice(self.french, 300.0, due=date(2026, 5, 1))  # not due
        self._invoice(self.french, 50.0, due=date(2026, 4, 10), move_type="out_refund")
        report = self.env.ref("recouvrement_creances.action_report_collection_statement")
        with freeze_time("2026-04-01"):
            values = self.french._collection_statement_values()
            pdf, _type = report.with_context(force_report_rendering=True)._render_qweb_pdf(
                report.report_name, self.french.ids
            )
        self.assertEqual(
            values["totals"], {"not_due": 250.0, "1_30": 100.0, "31_60": 0.0, "61_90": 200.0, "over_90": 0.0}
        )
        text = " ".join(pdf_text(pdf).split())
        self.assertIn("Relevé de compte au 01/04/2026", text)
        self.assertIn("Non échu 1–30 jours 31–60 jours 61–90 jours Plus de 90 jours Total", text)
        self.assertIn("250,00 € 100,00 € 0,00 € 200,00 € 0,00 € 550,00 €", text)

    def test_statement_attached_to_reminder_email(self):
        self.levels[14].attach_statement = True
        self._invoice(self.debtor, 700.0)
        with self.mock_mail_gateway():
            run = self._run(self._day(14))
        message = run.action_ids.mail_message_id
        self.assertEqual(len(message.attachment_ids), 1)
        self.assertIn(self.debtor.name, message.attachment_ids.name)
