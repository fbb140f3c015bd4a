import math

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, format_date
from odoo.tools.mimetypes import guess_mimetype

# Files a debtor may attach to a dispute
DISPUTE_MAX_FILE_SIZE = 10 * 1024 * 1024
DISPUTE_MAX_FILES = 5
DISPUTE_MIMETYPES = {"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp", "text/plain"}
# the largest id PostgreSQL stores: a larger one in a URL is no record, not an error
MAX_ID = 2**31 - 1
# the largest amount the portal takes: beyond it no invoice is that large, and float arithmetic breaks
MAX_AMOUNT = 1e12


class RecouvrementPortal(models.AbstractModel):
    """What the debtor sees and does on the portal, for one customer (commercial entity) of the current
    company. The controller checks who the debtor is, then calls these methods as superuser: every method
    reads and writes the records of that customer only, and every amount is computed here."""

    _name = "recouvrement.portal"
    _description = "Debtor Portal"

    # ------------------------------------------------------------------
    # The page
    # ------------------------------------------------------------------

    @api.model
    def _open_documents(self, partner):
        """The customer's posted invoices and credit notes still open in the current company, oldest due first."""
        return self.env["account.move"].search(
            [
                ("company_id", "=", self.env.company.id),
                ("commercial_partner_id", "=", partner.commercial_partner_id.id),
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
            ],
            order="invoice_date_due, id",
        )

    @api.model
    def _form_values(self, partner):
        """What the debtor's forms offer (plan, promise, dispute): the open documents, the plans, the policy's
        limits and the reasons of a dispute."""
        today = fields.Date.context_today(self)
        documents = self._open_documents(partner)
        invoices = documents.filtered(lambda move: move.move_type == "out_invoice")
        plans = self.env["recouvrement.payment.plan"].search(
            self._plan_domain(partner, ("draft", "proposed", "active"))
        )
        policy = self._policy(partner)
        return {
            "today": today,
            "currency": documents.currency_id[:1] or self.env.company.currency_id,
            "invoices": invoices,
            "credits": documents - invoices,
            "plans": plans,
            "planned": plans.filtered(lambda plan: plan.state == "active").move_ids,
            "policy": policy,
            "reasons": self.env["recouvrement.dispute.reason"].search([("active", "=", True)]),
            "promise_last_date": fields.Date.add(today, days=policy.portal_promise_days),
            "plan_last_first_date": self._last_first_date(policy),
        }

    @api.model
    def _page_values(self, partner):
        """Everything the debtor's page shows: the forms' values, with the penalties to date, the totals, the
        disputes and the open promises."""
        values = self._form_values(partner)
        invoices, currency, today = values["invoices"], values["currency"], values["today"]
        penalties = invoices._collection_penalty_figures(today)
        return values | {
            "penalties": penalties,
            "overdue": invoices.filtered(lambda move: move.invoice_date_due and move.invoice_date_due < today),
            "total_due": currency.round(sum((invoices | values["credits"]).mapped("amount_residual_signed"))),
            # the same figures as the customer's tab: the penalties to date, and the indemnity apart
            "total_penalties": currency.round(sum(figure["accrued"] for figure in penalties.values())),
            "total_indemnity": currency.round(sum(figure["indemnity"] for figure in penalties.values())),
            "disputes": self.env["recouvrement.dispute"].search(
                [("company_id", "=", self.env.company.id), ("partner_id", "=", partner.commercial_partner_id.id)],
                limit=20,
            ),
            "promises": self.env["recouvrement.promise"].search(
                [
                    ("company_id", "=", self.env.company.id),
                    ("partner_id", "=", partner.commercial_partner_id.id),
                    ("state", "=", "open"),
                ]
            ),
        }

    @api.model
    def _page_version(self, partner):
        """What the page shows depends on, in one query: the number, last change and amounts of the customer's
        open documents, plans and installments, penalties, disputes and promises, the policies and the rates, and
        the customer itself. The page's content is kept while it is the same (with the date and the language)."""
        commercial = partner.commercial_partner_id
        company = self.env.company.id
        self.env.flush_all()
        [version] = self.env.execute_query(
            SQL(
                """
                SELECT (SELECT ROW(COUNT(*), MAX(write_date), SUM(amount_residual_signed))::text FROM account_move
                         WHERE commercial_partner_id = %(partner)s AND company_id = %(company)s AND state = 'posted'
                           AND payment_state IN ('not_paid', 'partial') AND move_type IN ('out_invoice', 'out_refund')),
                       (SELECT ROW(COUNT(*), MAX(write_date), STRING_AGG(id || state, ',' ORDER BY id))::text
                          FROM recouvrement_payment_plan
                         WHERE partner_id = %(partner)s AND company_id = %(company)s),
                       (SELECT ROW(MAX(write_date), SUM(amount_paid))::text FROM recouvrement_payment_plan_line
                         WHERE partner_id = %(partner)s AND company_id = %(company)s),
                       (SELECT ROW(COUNT(*), MAX(write_date))::text FROM recouvrement_penalty
                         WHERE partner_id = %(partner)s AND company_id = %(company)s),
                       (SELECT ROW(COUNT(*), MAX(write_date), COUNT(*) FILTER (WHERE state = 'open'))::text
                          FROM recouvrement_dispute
                         WHERE partner_id = %(partner)s AND company_id = %(company)s),
                       (SELECT ROW(COUNT(*), MAX(write_date))::text FROM recouvrement_promise
                         WHERE partner_id = %(partner)s AND company_id = %(company)s),
                       (SELECT MAX(write_date)::text FROM recouvrement_policy WHERE company_id = %(company)s),
                       (SELECT ROW(COUNT(*), MAX(write_date))::text FROM recouvrement_rate),
                       (SELECT write_date::text FROM res_partner WHERE id = %(partner)s)
                """,
                partner=commercial.id,
                company=company,
            )
        )
        return (fields.Date.context_today(self), self.env.lang, *version)

    @api.model
    def _policy(self, partner):
        """The collection policy of the customer in the current company (its portal limits)."""
        commercial = partner.commercial_partner_id
        return commercial._collection_policies()[commercial]

    @api.model
    def _documents_of(self, partner, move_ids):
        """The open documents of the customer among ``move_ids``; any other id (another customer's, closed,
        unknown) is refused."""
        ids = {self._id(move_id) for move_id in move_ids} - {0}
        documents = self._open_documents(partner).filtered(lambda move: move.id in ids)
        if not ids or len(ids) != len(set(move_ids)) or len(documents) != len(ids):
            raise ValidationError(self.env._("Select your open invoices."))
        return documents

    @api.model
    def _id(self, value):
        """The record id ``value`` stands for, or 0 when it stands for none (not digits, or out of range)."""
        value = str(value)
        return int(value) if value.isdigit() and 0 < int(value) <= MAX_ID else 0

    @api.model
    def _number(self, value, message):
        """``value`` as a finite number of at most MAX_AMOUNT, else a ValidationError of ``message``."""
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValidationError(message) from None
        if not math.isfinite(number) or abs(number) > MAX_AMOUNT:
            raise ValidationError(message)
        return number

    @api.model
    def _text(self, value):
        """Text typed by the debtor, stripped, without the NUL characters a database cannot store."""
        return (value or "").replace("\x00", "").strip()

    # ------------------------------------------------------------------
    # Paying
    # ------------------------------------------------------------------

    @api.model
    def _payable(self, partner, selection):
        """What ``selection`` asks to pay, computed here: (documents, amount, currency, label).

        ``selection`` is ``all`` (every open document, credit notes deducted), ``invoices-<id>-<id>…`` or
        ``installment-<installment id>`` (the next installment of the customer's active plan)."""
        kind, _sep, rest = (selection or "").partition("-")
        if kind == "all":
            documents = self._open_documents(partner).filtered(lambda move: not move.collection_dispute)
            label = self.env._("All that is due")
        elif kind == "invoices":
            ids = [part for part in rest.split("-") if part.isdigit()]
            documents = self._documents_of(partner, ids)
            label = ", ".join(documents.mapped("name"))
        elif kind == "installment" and self._id(rest):
            installment = self._installment_of(partner, self._id(rest))
            plan = installment.plan_id
            documents = plan.move_ids.filtered(lambda move: move.amount_residual)
            amount = plan.currency_id.round(installment.amount - installment.amount_paid)
            label = self.env._(
                "Installment of %(date)s of your payment plan", date=format_date(self.env, installment.date_due)
            )
            return documents, amount, plan.currency_id, label
        else:
            raise ValidationError(self.env._("Choose what to pay."))
        if len(documents.currency_id) > 1:
            raise ValidationError(self.env._("Pay the invoices of each currency separately."))
        currency = documents.currency_id[:1] or self.env.company.currency_id
        amount = currency.round(sum(documents.mapped("amount_residual_signed")))
        if currency.compare_amounts(amount, 0) <= 0:
            raise ValidationError(self.env._("Nothing is left to pay on this selection."))
        return documents, amount, currency, label

    @api.model
    def _installment_of(self, partner, installment_id):
        installment = self.env["recouvrement.payment.plan.line"].search(
            [
                ("id", "=", installment_id),
                ("company_id", "=", self.env.company.id),
                ("partner_id", "=", partner.commercial_partner_id.id),
                ("plan_id.state", "=", "active"),
                ("is_paid", "=", False),
            ]
        )
        if not installment:
            raise ValidationError(self.env._("This installment is not yours to pay, or is already paid."))
        return installment

    # ------------------------------------------------------------------
    # Dispute and promise
    # ------------------------------------------------------------------

    @api.model
    def _declare_dispute(self, partner, move_ids, reason_id, message, files, ip_address):
        """The debtor contests invoices: ``files`` are [(name, bytes)], checked here."""
        moves = self._documents_of(partner, move_ids).filtered(lambda move: move.move_type == "out_invoice")
        reason = self.env["recouvrement.dispute.reason"].browse(self._id(reason_id)).exists()
        if not moves or not reason or not reason.active:
            raise ValidationError(self.env._("Choose the invoices and the reason of the dispute."))
        message = self._text(message)
        files = self._check_files(files)
        dispute = self.env["recouvrement.dispute"].create(
            {
                "partner_id": partner.commercial_partner_id.id,
                "move_ids": [fields.Command.set(moves.ids)],
                "reason_id": reason.id,
                "description": message,
            }
        )
        attachments = self.env["ir.attachment"].create(
            [
                {"name": name, "raw": data, "mimetype": mimetype, "res_model": dispute._name, "res_id": dispute.id}
                for name, mimetype, data in files
            ]
        )
        content = Markup("<p>%s</p>") % self.env._(
            "Dispute declared on the portal: %(reason)s. %(message)s", reason=reason.name, message=message or ""
        )
        dispute.with_context(recouvrement_portal_logged=True).message_post(
            body=content,
            author_id=partner.commercial_partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachment_ids=attachments.ids,
        )
        dispute._schedule_collector_activity()
        self.env["recouvrement.action"]._log_portal(partner, "dispute", content, moves, ip_address)
        return dispute

    @api.model
    def _check_files(self, files):
        """``files`` [(name, bytes)] of a debtor checked against the dispute form's limits: their number, their
        size, and their type read from their content (never from what the browser declares). Returns them as
        [(name, mimetype, bytes)]."""
        if len(files) > DISPUTE_MAX_FILES:
            raise ValidationError(self.env._("Attach at most %s files.", DISPUTE_MAX_FILES))
        checked = []
        for raw_name, data in files:
            name = self._text(raw_name)
            if len(data) > DISPUTE_MAX_FILE_SIZE:
                raise ValidationError(self.env._("The file %s is larger than 10 MB.", name))
            mimetype = guess_mimetype(data, default="application/octet-stream")
            if mimetype not in DISPUTE_MIMETYPES:
                raise ValidationError(self.env._("The file %s is not a PDF, an image or a text file.", name))
            checked.append((name, mimetype, data))
        return checked

    @api.model
    def _promise(self, partner, move_ids, date, amount, ip_address):
        """The debtor promises to pay ``amount`` of the chosen invoices by ``date``: the reminders pause until
        then. The date must be within the policy's limit, the amount at most what the invoices owe."""
        moves = self._documents_of(partner, move_ids).filtered(lambda move: move.move_type == "out_invoice")
        today = fields.Date.context_today(self)
        policy = self._policy(partner)
        message = self.env._("Give the date and the amount you promise to pay.")
        amount = self._number(amount, message)
        try:
            date = fields.Date.to_date(date)
        except (TypeError, ValueError, OverflowError):
            raise ValidationError(message) from None
        currency = moves.currency_id[:1]
        owed = currency.round(sum(moves.mapped("amount_residual")))
        if not moves or len(moves.currency_id) > 1:
            raise ValidationError(self.env._("Choose your open invoices, in one currency."))
        if not date or not today <= date <= fields.Date.add(today, days=policy.portal_promise_days):
            raise ValidationError(self.env._("Promise a date within the next %s days.", policy.portal_promise_days))
        amount = currency.round(amount)
        if currency.compare_amounts(amount, 0) <= 0 or currency.compare_amounts(amount, owed) > 0:
            raise ValidationError(
                self.env._("Promise an amount of at most %s, what these invoices owe.", currency.format(owed))
            )
        promise = self.env["recouvrement.promise"].create(
            {
                "partner_id": partner.commercial_partner_id.id,
                "currency_id": currency.id,
                "move_ids": [fields.Command.set(moves.ids)],
                "amount": amount,
                "date": date,
                "note": self.env._("Promised on the portal."),
            }
        )
        content = Markup("<p>%s</p>") % self.env._(
            "Promise to pay %(amount)s by %(date)s made on the portal.",
            amount=currency.format(amount),
            date=format_date(self.env, date),
        )
        self.env["recouvrement.action"]._log_portal(partner, "promise", content, moves, ip_address, currency)
        return promise

    @api.model
    def _collector(self, partner):
        """Who answers the debtor: the customer's collector, else the salesperson, else the administrator."""
        commercial = partner.commercial_partner_id
        return commercial.collection_user_id or commercial.user_id or self.env.ref("base.user_admin")
