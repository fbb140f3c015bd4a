import base64

from odoo import fields, models
from odoo.tools import format_date

from ..tools.evidence import bundle, checksum, page_count


class RecouvrementCase(models.Model):
    """The evidence file of a case: one PDF of numbered exhibits, with their table, for the court or the agency."""

    _inherit = "recouvrement.case"

    evidence_file = fields.Binary(attachment=True, readonly=True, copy=False)
    evidence_file_name = fields.Char(readonly=True, copy=False)
    evidence_date = fields.Datetime(string="Evidence File of", readonly=True, copy=False)

    # ------------------------------------------------------------------
    # Evidence file
    # ------------------------------------------------------------------

    def action_check_evidence_integrity(self):
        """*Check the Integrity of the Evidence* of this case's company."""
        return self.env["recouvrement.evidence"].action_check_integrity(self.company_id)

    def action_generate_evidence(self):
        """(Re)generate the evidence file of these cases: one PDF of numbered exhibits, with their table."""
        for case in self:
            case._generate_evidence()
        return True

    def _generate_evidence(self):
        self.ensure_one()
        case = self.with_context(lang=self.company_id.partner_id.lang or self.env.lang, force_report_rendering=True)
        # the file states the result of an integrity check of the evidence made as it is put together
        self.env["recouvrement.evidence"]._check_companies(self.company_id)
        exhibits = case._evidence_exhibits()
        pdfs = [(number, exhibit["render"]()) for number, exhibit in enumerate(exhibits, 1)]
        counts = [page_count(pdf) for _number, pdf in pdfs]
        toc_pages, front = 1, b""
        for _attempt in range(3):  # the table's own length moves the page numbers it prints
            rows, page = [], toc_pages + 1
            for (number, exhibit_pdf), exhibit, count in zip(pdfs, exhibits, counts, strict=True):
                rows.append(
                    {
                        "number": number,
                        "title": exhibit["title"],
                        "page": page,
                        "pages": count,
                        "sha256": checksum(exhibit_pdf),
                    }
                )
                page += count
            front = case._evidence_section_pdf("toc", rows=rows)
            if page_count(front) == toc_pages:
                break
            toc_pages = page_count(front)

        def label(number, page, pages):
            return case.env._("Exhibit %(number)s – page %(page)s/%(pages)s", number=number, page=page, pages=pages)

        pdf = bundle(front, pdfs, label)
        self.write(
            {
                "evidence_file": base64.b64encode(pdf),
                "evidence_file_name": case.env._("Evidence file %(case)s.pdf", case=self.name).replace("/", "-"),
                "evidence_date": fields.Datetime.now(),
            }
        )
        self.message_post(
            body=self.env._(
                "Evidence file generated: %(exhibits)s exhibits, %(pages)s pages.",
                exhibits=len(exhibits),
                pages=page_count(pdf),
            )
        )
        return pdf

    def _evidence_section_pdf(self, section, **values):
        """One of the file's own pages (summary, terms, emails, calls...), as PDF."""
        report = self.env.ref("recouvrement_creances.action_report_case_evidence_section")
        return report._render_qweb_pdf(report.report_name, self.ids, data={"section": section, **values})[0]

    def _evidence_actions(self):
        """The collection actions done on this case's invoices, oldest first."""
        self.ensure_one()
        lines = self.env["recouvrement.action.line"].search(
            [("move_id", "in", self.move_ids.ids), ("excluded", "=", False), ("action_id.state", "=", "done")]
        )
        return lines.action_id.sorted(lambda action: (action.done_date or fields.Datetime.to_datetime(action.date)))

    def _evidence_plans(self):
        self.ensure_one()
        return self.move_ids.sudo().collection_payment_plan_ids.filtered(
            lambda plan: plan.state in ("active", "completed", "broken")
        )

    def _evidence_exhibits(self):
        """The exhibits in the order a court expects them: [{title, render: () -> PDF bytes}]."""
        self.ensure_one()

        def section(key, title, **values):
            return {"title": title, "render": lambda: self._evidence_section_pdf(key, **values)}

        def stored(title, pdf):
            return [{"title": title, "render": lambda: pdf}] if pdf and pdf.startswith(b"%PDF") else []

        invoice_report = self.env["ir.actions.report"]
        actions = self._evidence_actions()
        exhibits = [section("summary", self.env._("Summary of the claim"))]
        for move in self.move_ids.sorted(lambda m: (m.invoice_date or m.date, m.id)):
            exhibits.append(
                {
                    "title": self.env._(
                        "Invoice %(invoice)s of %(date)s",
                        invoice=move.name,
                        date=format_date(self.env, move.invoice_date),
                    ),
                    "render": lambda move=move: invoice_report._render_qweb_pdf("account.account_invoices", move.ids)[
                        0
                    ],
                }
            )
        exhibits.append(section("terms", self.env._("Terms of payment")))
        if actions.filtered(lambda a: a.channel == "email" and a.mail_message_id):
            exhibits.append(section("emails", self.env._("Reminders sent by email")))
        for letter in actions.filtered(lambda a: a.channel == "letter" and a.letter_attachment_id):
            title = self.env._("Reminder letter of %(date)s", date=format_date(self.env, letter.date))
            exhibits += stored(title, letter.letter_attachment_id.raw)
        if actions.filtered(lambda a: a.channel == "phone"):
            exhibits.append(section("calls", self.env._("Call log")))
        for notice in actions.filtered(lambda a: a.channel == "registered_letter"):
            title = self.env._("Formal notice of %(date)s", date=format_date(self.env, notice.date))
            exhibits += stored(title, notice.letter_attachment_id.raw)
            exhibits.append(
                section(
                    "notice", self.env._("Registered letter: sending and acknowledgement of receipt"), notice=notice
                )
            )
            exhibits += stored(
                self.env._("Acknowledgement of receipt (scan)"), base64.b64decode(notice.registered_ack_scan or b"")
            )
        if any(move.invoice_payments_widget for move in self.move_ids):
            exhibits.append(section("payments", self.env._("Payments received")))
        agreement = self.env.ref("recouvrement_creances.action_report_payment_plan_agreement")
        for plan in self._evidence_plans():
            title = self.env._("Payment plan of %(date)s", date=format_date(self.env, plan.date))
            signed = stored(title, base64.b64decode(plan.signed_document or b""))
            exhibits += signed
            if not signed:
                exhibits.append(
                    {
                        "title": title,
                        "render": lambda plan=plan: agreement._render_qweb_pdf(agreement.report_name, plan.ids)[0],
                    }
                )
            exhibits.append(
                section(
                    "plan",
                    self.env._("Follow-up of the payment plan of %(date)s", date=format_date(self.env, plan.date)),
                    plan=plan,
                )
            )
        return exhibits
