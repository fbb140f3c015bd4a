import base64
import io
from datetime import date

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import RecouvrementCommon
from .test_letters import pdf_text


@tagged("post_install", "-at_install")
class TestStatements(RecouvrementCommon):
    """Statements of account for several customers at once: one merged PDF, or one XLSX workbook."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other = cls._debtor("Deuxième Client SARL", lang="en_US")
        cls.idle = cls._debtor("Client Sans Dette SARL")
        cls._invoice(cls.debtor, 1000.0, due=date(2026, 3, 2))
        cls._invoice(cls.debtor, 250.0, due=date(2026, 4, 30))
        cls._invoice(cls.other, 700.0, due=date(2026, 1, 15))

    def _download(self, action):
        attachment_id = int(action["url"].split("/web/content/")[1].split("?")[0])
        attachment = self.env["ir.attachment"].browse(attachment_id)
        return attachment.name, base64.b64decode(attachment.datas)

    def test_one_pdf_for_several_customers_each_in_its_language(self):
        partners = (self.debtor | self.other | self.idle).with_user(self.agent).with_company(self.company)
        with freeze_time(date(2026, 4, 1)):
            name, pdf = self._download(
                partners.with_context(force_report_rendering=True).action_collection_statements_pdf()
            )
        self.assertEqual(name, "Statements of account (2 customers).pdf", "the customer who owes nothing is left out")
        self.assertEqual(pdf[:4], b"%PDF")
        first, second = pdf_text(pdf, 1), pdf_text(pdf, 2)
        self.assertIn("Debtor One", first)
        self.assertIn("1 250,00", first.replace("\u202f", " ").replace("\xa0", " "))
        self.assertIn("Deuxième Client SARL", second)
        self.assertIn("Statement of account", second, "the English customer's statement is in English")

    def test_one_workbook_with_the_same_figures(self):
        partners = (self.debtor | self.other).with_user(self.agent).with_company(self.company)
        with freeze_time(date(2026, 4, 1)):
            name, content = self._download(partners.action_collection_statements_xlsx())
            expected = {p.name: p._collection_statement_values() for p in partners}
        self.assertEqual(name, "Statements of account (2 customers).xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        rows = [row for row in sheet.iter_rows(min_row=4, values_only=True) if any(row)]
        totals = {row[0]: row[-1] for row in rows if str(row[0]).startswith("Total ")}
        self.assertEqual(totals, {f"Total {name}": values["total"] for name, values in expected.items()})
        self.assertEqual(totals["Total Debtor One"], 1250.0)
        items = [row for row in rows if not str(row[0]).startswith("Total ")]
        self.assertEqual(len(items), 3)
        [overdue] = [row for row in items if row[0] == "Debtor One" and row[-1] == 1000.0]
        self.assertEqual(overdue[3].date(), date(2026, 3, 2))
        self.assertEqual(overdue[5], 1000.0, "in the 1-30 days column")

    def test_nothing_to_print_is_refused(self):
        with self.assertRaisesRegex(UserError, "no statement to print"):
            self.idle.with_user(self.agent).with_company(self.company).action_collection_statements_pdf()
