from markupsafe import Markup

from odoo import fields, models
from odoo.tools.pdf import merge_pdf


class RecouvrementAction(models.Model):
    """What a user prepares by hand before an action goes (the follow-up wizard): its subject, a paragraph of
    free text, the invoices' PDFs and the statement joined to it. Written by the engine, kept as evidence."""

    _inherit = "recouvrement.action"

    is_manual = fields.Boolean(
        string="Manual Follow-up",
        readonly=True,
        help="Sent by hand outside the schedule: it gives the invoices no level unless the user chose to.",
    )
    custom_subject = fields.Char(string="Subject", readonly=True, help="The subject written by hand for this email.")
    custom_text = fields.Text(
        string="Added Text", readonly=True, help="A paragraph written by hand, printed before the invoices."
    )
    attach_invoices = fields.Boolean(
        string="Invoices Attached", readonly=True, help="The invoices' PDFs go with the email, or after the letter."
    )
    attach_statement = fields.Boolean(
        string="Statement Attached", readonly=True, help="The statement of account goes with the email."
    )

    def action_preview(self):
        """Preview this proposed email or letter as it will go out, change it, then send it."""
        self.ensure_one()
        wizard = self.env["recouvrement.follow.up.wizard"]
        return wizard._open(wizard._values_for_action(self))

    def _attaches_statement(self):
        self.ensure_one()
        return self.attach_statement or self.level_id.attach_statement

    def _claimed_invoices(self):
        self.ensure_one()
        return self.line_ids.filtered(lambda line: not line.excluded and line.amount_residual > 0).move_id

    def _preview_attachment_names(self):
        """The files that will go with this action's email."""
        self.ensure_one()
        names = [self._statement_filename()] if self._attaches_statement() else []
        if self.attach_invoices:
            names += [f"{invoice._get_report_base_filename()}.pdf" for invoice in self._claimed_invoices()]
        return names

    def _chatter_summary(self):
        summary = super()._chatter_summary()
        if self.is_manual:
            return Markup("<p>%s</p>") % self.env._("Manual follow-up, outside the schedule.") + summary
        return summary

    def _invoice_pdfs(self):
        """[(name, PDF)] of Odoo's own invoice report for each invoice this action claims, in the debtor's
        language, rendered one by one (the unpatched wkhtmltopdf cannot render several documents at once)."""
        self.ensure_one()
        report = self.env.ref("account.account_invoices")
        lang = self.partner_id.lang
        invoices = self._claimed_invoices()
        return [
            (
                f"{invoice._get_report_base_filename()}.pdf",
                report.with_company(self.company_id)
                .with_context(lang=lang)
                ._render_qweb_pdf(report.report_name, invoice.ids)[0],
            )
            for invoice in invoices
        ]

    def _attach_invoices_to_emails(self):
        """Join the invoices' PDFs to the queued email of each of these actions, as evidence."""
        for action in self:
            attachments = (
                self.env["ir.attachment"]
                .with_context(collection_evidence=True)
                .create(
                    [
                        {
                            "name": name,
                            "raw": pdf,
                            "mimetype": "application/pdf",
                            "res_model": "mail.message",
                            "res_id": action.mail_message_id.id,
                        }
                        for name, pdf in action._invoice_pdfs()
                    ]
                )
            )
            action.mail_message_id.attachment_ids = [fields.Command.link(attachment.id) for attachment in attachments]

    def _letter_pdf_with_invoices(self, letter_pdf):
        """The letter, followed by its invoices when the user joined them: one document to print and post."""
        self.ensure_one()
        if not self.attach_invoices:
            return letter_pdf
        return merge_pdf([letter_pdf, *(pdf for _name, pdf in self._invoice_pdfs())])

    def _apply_custom_subject(self):
        """The subject written by hand replaces the template's in the email as queued (before it is sealed)."""
        for action in self.filtered("custom_subject"):
            action.mail_message_id.sudo().subject = action.custom_subject
