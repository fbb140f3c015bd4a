import base64

from odoo import api, fields, models
from odoo.tools import format_date
from odoo.tools.image import image_data_uri

# Days a registered letter is taken to need to reach the debtor while its acknowledgement is unknown.
REGISTERED_DELIVERY_DAYS = 3


class RecouvrementAction(models.Model):
    """Letters and registered letters (the mise en demeure): what they print, their PDF kept as sent, the
    sending and acknowledgement of receipt entered afterwards, with the scans."""

    _inherit = "recouvrement.action"

    registered_number = fields.Char(
        string="Registered Letter Number", help="The LRAR number on the receipt.", tracking=True
    )
    registered_sent_date = fields.Date(string="Sent on", tracking=True)
    registered_ack_date = fields.Date(string="Acknowledgement of Receipt", tracking=True)
    registered_ack_scan = fields.Binary(string="Acknowledgement Scan", attachment=True)
    registered_ack_scan_name = fields.Char()
    registered_outcome = fields.Selection(
        [
            ("received", "Received"),
            ("unclaimed", "Returned: Notified, Not Claimed"),
            ("refused", "Returned: Refused"),
            ("unknown_address", "Returned: Unknown at this Address"),
        ],
        string="Delivery",
        tracking=True,
    )
    notice_deadline = fields.Date(
        string="Deadline",
        compute="_compute_notice_deadline",
        store=True,
        help="Deadline given by the formal notice: from the acknowledgement of receipt, or from the sending date "
        "plus 3 days while the acknowledgement is unknown.",
    )
    letter_attachment_id = fields.Many2one("ir.attachment", string="Letter (PDF)", readonly=True)

    @api.depends("registered_ack_date", "registered_sent_date", "date", "level_id.notice_deadline_days", "channel")
    def _compute_notice_deadline(self):
        for action in self:
            if action.channel != "registered_letter":
                action.notice_deadline = False
                continue
            received = action.registered_ack_date or fields.Date.add(
                action.registered_sent_date or action.date, days=REGISTERED_DELIVERY_DAYS
            )
            action.notice_deadline = fields.Date.add(received, days=action.level_id.notice_deadline_days)

    def _formal_notice_date(self):
        """When this registered letter put the debtor on notice, from which an individual owes legal interest:
        the acknowledgement of receipt when entered, else the sending date as corrected on the action, else the
        day it was executed."""
        self.ensure_one()
        return (
            self.registered_ack_date
            or self.registered_sent_date
            or (self.done_date and fields.Date.context_today(self, self.done_date))
            or self.date
        )

    def _letter_missing(self):
        """What this letter lacks: the debtor's postal address, the company's bank account (payment
        instructions), the SIREN/SIRET of a French company."""
        self.ensure_one()
        partner, company = self.partner_id, self.company_id
        missing = []
        if not (partner.street and partner.zip and partner.city):
            missing.append(self.env._("no complete postal address (street, zip, city)"))
        if not company.partner_id.bank_ids:
            missing.append(
                self.env._("%(company)s has no bank account for the payment instructions", company=company.name)
            )
        if company.country_id.code == "FR" and not company.company_registry:
            missing.append(self.env._("%(company)s has no SIREN/SIRET", company=company.name))
        return missing

    def _execute_letter(self):
        self._render_letters()
        self._schedule_activity(
            "recouvrement_creances.mail_activity_collection_letter",
            lambda action: action.env._("Send the letter to %(partner)s", partner=action.partner_id.name),
        )

    def _execute_registered_letter(self):
        self.registered_sent_date = fields.Date.context_today(self)
        self._execute_letter()

    def _render_letters(self):
        """Render each action's letter, one PDF per action (the unpatched wkhtmltopdf cannot render several
        documents at once), and keep it on the action: the evidence is exactly what was sent."""
        report = self.env.ref("recouvrement_creances.action_report_collection_letter")
        for action in self:
            pdf, _type = report.with_context(lang=action.partner_id.lang)._render_qweb_pdf(
                report.report_name, action.ids
            )
            action.letter_attachment_id = (
                self.env["ir.attachment"]
                .with_context(collection_evidence=True)
                .create(
                    {
                        "name": action._letter_filename(),
                        "raw": action._letter_pdf_with_invoices(pdf),
                        "mimetype": "application/pdf",
                        "res_model": self._name,
                        "res_id": action.id,
                    }
                )
            )

    # ------------------------------------------------------------------
    # Letter content (report/recouvrement_letter_templates.xml)
    # ------------------------------------------------------------------

    def _letter_values(self):
        """What the letter of this action prints, computed once for the template: its sections (see
        :meth:`_sections`), each row with the penalties and indemnity of an overdue invoice when the letter shows
        them, and what a formal notice claims: the overdue invoices net of the credits, plus their penalties and
        indemnities."""
        self.ensure_one()
        sections = self._sections()
        formal = self.channel == "registered_letter"
        show_penalties = self._shows_penalties()
        overdue = self.env["recouvrement.action.line"].union(
            *(section["lines"] for section in sections if section["key"] == "overdue")
        )
        figures = overdue.move_id._collection_penalty_figures(self.date) if show_penalties else {}
        for section in sections:
            section["rows"] = []
            for line in section["lines"]:
                figure = figures.get(line.move_id, {}) if line in overdue else {}
                section["rows"].append(
                    {"line": line, "penalty": figure.get("penalty", 0.0), "indemnity": figure.get("indemnity_due", 0.0)}
                )
        rows = [row for section in sections for row in section["rows"]]
        penalties = self.currency_id.round(sum(row["penalty"] for row in rows))
        indemnities = self.currency_id.round(sum(row["indemnity"] for row in rows))
        credits = sum(section["total"] for section in sections if section["key"] == "credit")
        principal = self.currency_id.round(max(self.amount_overdue + credits, 0.0))
        total = self.currency_id.round(principal + penalties + indemnities)
        b2b = self.policy_id.customer_kind == "b2b"
        return {
            "sections": sections,
            "invoice_count": len(rows),
            "formal": formal,
            # an individual owes interest only from the formal notice: no empty column before
            "show_penalties": show_penalties and (b2b or bool(penalties)),
            "b2b": b2b,
            "penalties": penalties,
            "indemnities": indemnities,
            "principal": principal,
            "total": total,
            "total_in_words": self.currency_id._collection_amount_in_words(total),
            "place_date": self.company_id._collection_place_date(self.date),
            "bank": self.company_id.partner_id.bank_ids[:1],
            "payment_reference": ", ".join(filter(None, overdue.mapped("payment_reference"))),
            "pay_url": self.portal_url,
            "signatory": self._responsible_user(),
        }

    def _letter_qr_code(self, url):
        """The payment link as a QR code image (data URI), embedded: no server needed to print it."""
        png = self.env["ir.actions.report"].barcode("QR", url, width=180, height=180)
        return image_data_uri(base64.b64encode(png))

    def _letter_filename(self):
        self.ensure_one()
        day = format_date(self.env, self.date, date_format="dd-MM-y")  # the French way, and no slash in a file name
        return f"{self.level_id.name} – {self.partner_id.name} – {day}.pdf".replace("/", "-")
