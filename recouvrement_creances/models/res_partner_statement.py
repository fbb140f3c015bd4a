import io

import xlsxwriter

from odoo import models
from odoo.exceptions import UserError
from odoo.tools.pdf import merge_pdf


class ResPartner(models.Model):
    """What a user sends a customer by hand: its follow-up (preview, edit, send and print), and statements of
    account for a selection of customers, one PDF of all of them or one XLSX workbook."""

    _inherit = "res.partner"

    def action_collection_follow_up(self):
        """The follow-up of this debtor, as Odoo's follow-up report offers it: preview, edit, send and print."""
        self.ensure_one()
        wizard = self.env["recouvrement.follow.up.wizard"]
        return wizard._open(wizard._values_for_partner(self))

    def _collection_statement_debtors(self):
        """The debtors of this selection, each once (a contact counts as its company), refused when none owes
        anything in the current company."""
        debtors = self.commercial_partner_id.sorted(lambda partner: (partner.name or "", partner.id))
        owing = debtors.filtered(lambda partner: partner.collection_amount_due)
        if not owing:
            raise UserError(self.env._("None of these customers has an open item: there is no statement to print."))
        return owing

    def action_collection_statements_pdf(self):
        """One PDF of the statements of the selected customers, each in its own language and starting on a new
        page (rendered one by one: the unpatched wkhtmltopdf cannot render several documents at once)."""
        debtors = self._collection_statement_debtors()
        report = self.env.ref("recouvrement_creances.action_report_collection_statement")
        pdfs = [
            report.with_context(lang=debtor.lang)._render_qweb_pdf(report.report_name, debtor.ids)[0]
            for debtor in debtors
        ]
        name = self.env._("Statements of account (%(count)s customers).pdf", count=len(debtors))
        return self._collection_download(name, merge_pdf(pdfs), "application/pdf")

    def action_collection_statements_xlsx(self):
        """One XLSX workbook of the statements of the selected customers: a sheet listing every open item, by
        customer, with the same ageing columns and totals as the PDF."""
        debtors = self._collection_statement_debtors()
        name = self.env._("Statements of account (%(count)s customers).xlsx", count=len(debtors))
        return self._collection_download(
            name,
            self._collection_statements_workbook(debtors),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )

    def _collection_statements_workbook(self, debtors):
        """The XLSX content of the statements of ``debtors``."""
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet(self.env._("Statements"))
        currency = self.env.company.currency_id
        money_format = "#,##0.%s" % ("0" * currency.decimal_places) if currency.decimal_places else "#,##0"
        formats = {
            "title": workbook.add_format({"bold": True, "font_size": 13}),
            "header": workbook.add_format({"bold": True, "bg_color": "#EEEEEE", "border": 1}),
            "date": workbook.add_format({"num_format": "dd/mm/yyyy"}),
            "money": workbook.add_format({"num_format": money_format}),
            "total": workbook.add_format({"bold": True, "num_format": money_format, "top": 1}),
            "total_label": workbook.add_format({"bold": True, "top": 1}),
        }
        statements = {debtor: debtor._collection_statement_values() for debtor in debtors}
        buckets = next(iter(statements.values()))["buckets"]
        headers = [
            self.env._("Customer"),
            self.env._("Document"),
            self.env._("Date"),
            self.env._("Due Date"),
            *(label for _key, label in buckets),
            self.env._("Total (%s)", currency.name),
        ]
        sheet.write(
            0, 0, self.env._("Statements of account of %(company)s", company=self.env.company.name), formats["title"]
        )
        sheet.write_row(2, 0, headers, formats["header"])
        row = 3
        for debtor, statement in statements.items():
            for item in statement["rows"]:
                sheet.write(row, 0, debtor.name)
                sheet.write(row, 1, item["name"] or "")
                for column, day in ((2, item["date"]), (3, item["due"])):
                    if day:
                        sheet.write_datetime(row, column, day, formats["date"])
                for column, (key, _label) in enumerate(buckets, start=4):
                    if item["bucket"] == key:
                        sheet.write_number(row, column, item["amount"], formats["money"])
                sheet.write_number(row, 4 + len(buckets), item["amount"], formats["money"])
                row += 1
            sheet.write(row, 0, self.env._("Total %s", debtor.name), formats["total_label"])
            for column in range(1, 4):
                sheet.write_blank(row, column, None, formats["total_label"])
            for column, (key, _label) in enumerate(buckets, start=4):
                sheet.write_number(row, column, statement["totals"][key], formats["total"])
            sheet.write_number(row, 4 + len(buckets), statement["total"], formats["total"])
            row += 2
        sheet.set_column(0, 1, 28)
        sheet.set_column(2, 3, 12)
        sheet.set_column(4, 4 + len(buckets), 14)
        workbook.close()
        return output.getvalue()

    def _collection_download(self, name, content, mimetype):
        """Hand ``content`` to the user's browser as the file ``name``."""
        attachment = self.env["ir.attachment"].create({"name": name, "raw": content, "mimetype": mimetype})
        return {"type": "ir.actions.act_url", "url": f"/web/content/{attachment.id}?download=true", "target": "self"}
