import io
from datetime import datetime, time, timedelta

import pytz
import xlsxwriter
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, format_date

# The tranches of the statutory table (model of the arrêté of 20 March 2017), each the union of columns of the aged
# balance: the table is the aged balance drawn at the year end. "0" holds the invoices not late yet (indicative).
DELAY_TRANCHES = (
    ("0", ("not_due",)),
    ("1_30", ("1_30",)),
    ("31_60", ("31_60",)),
    ("61_90", ("61_90",)),
    ("91", ("91_180", "over_180")),
)
# The key of the total "1 day and more": the tranches after "0".
LATE = "late"
# The two tables, in the order of article D. 441-6 I: 1° the suppliers' invoices received, 2° the customers'
# invoices issued. Credit notes are not invoices: they are left out of both.
DELAY_SIDES = (
    ("received", "in_invoice", ("in_invoice", "in_refund")),
    ("issued", "out_invoice", ("out_invoice", "out_refund")),
)


class RecouvrementPaymentDelayTable(models.TransientModel):
    """The payment-delay table of the management report (Code de commerce L. 441-14 and D. 441-6 I, model of the
    arrêté of 20 March 2017): the invoices received and issued unpaid at the year end, by tranche of days late,
    with those in dispute apart and the payment terms the delays are counted from. Printed as a PDF or
    downloaded as an XLSX workbook, with the same figures."""

    _name = "recouvrement.payment.delay.table"
    _description = "Payment Delay Table (D. 441-6)"

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    date = fields.Date(
        string="Year-End Date",
        required=True,
        default=lambda self: self._default_date(),
        help="The closing date of the fiscal year: the invoices unpaid on that date are counted, with what they "
        "still owed then.",
    )

    @api.model
    def _default_date(self):
        """The end of the last closed fiscal year: that of the fiscal year which contained the same day a year
        ago."""
        year_ago = fields.Date.context_today(self) - relativedelta(years=1)
        return self.env.company.compute_fiscalyear_dates(year_ago)["date_to"]

    @api.constrains("date")
    def _check_date(self):
        today = fields.Date.context_today(self)
        for table in self:
            if table.date > today:
                raise ValidationError(
                    self.env._(
                        "The year-end date %(date)s is in the future: the table shows the invoices unpaid at a year "
                        "end already reached.",
                        date=format_date(self.env, table.date),
                    )
                )

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------

    def _payment_delay_figures(self):
        """The figures of both tables, as a plain dict::

            {"date", "date_from" (start of the fiscal year), "company", "currency",
             "received" and "issued": {
                 "tranches": {"0", "1_30", "31_60", "61_90", "91", "late": {"count", "amount", "percent"}},
                 "excluded": {"count", "amount", "amounts": {tranche: amount}},
                 "base": purchases (received) or turnover (issued) of the fiscal year excluding VAT,
                 "contractual_terms": text, "legal_terms": text}}

        Amounts include VAT, in company currency; percentages are of the base excluding VAT (None without base).
        See :meth:`_payment_delay_side` for what is counted."""
        self.ensure_one()
        date_from = self.company_id.compute_fiscalyear_dates(self.date)["date_from"]
        figures = {
            "date": self.date,
            "date_from": date_from,
            "company": self.company_id,
            "currency": self.company_id.currency_id,
        }
        for side, invoice_type, base_types in DELAY_SIDES:
            figures[side] = self._payment_delay_side(invoice_type, base_types, date_from)
        return figures

    def _payment_delay_side(self, invoice_type, base_types, date_from):
        """The figures of one table, from the invoices of type ``invoice_type`` posted, dated on or before the
        year end and unpaid then; the percentages are of the invoices less the credit notes of ``base_types`` of
        the fiscal year starting on ``date_from``.

        The items are those of the aged balance drawn at the year end (:meth:`_payment_delay_items_sql`): each open
        receivable (payable) line of an invoice is in the tranche of its own due date, with what it still owed at
        the year end (payments dated later added back). An invoice in installments is counted line by line: its
        amount is split between the tranches of its installments, and it counts as one invoice in each tranche one
        of them is in, and once in the total "1 day and more" (which can be less than the sum of the tranches). This
        keeps the amounts equal to the aged balance's, to the cent.

        The invoices in dispute at the year end are in (B), whatever their tranche, not in (A). (C) names the payment
        terms of the invoices of (A), and the legal terms when one of them has none."""
        currency = self.company_id.currency_id
        rows = self._payment_delay_rows(invoice_type)
        empty = {"counts": dict.fromkeys((*(key for key, _columns in DELAY_TRANCHES), LATE), 0), "amounts": {}}
        counted, excluded = rows.get(False, empty), rows.get(True, empty)
        base = self._payment_delay_base(base_types, date_from)
        tranches = {}
        for key in (*(key for key, _columns in DELAY_TRANCHES), LATE):
            amount = currency.round(counted["amounts"].get(key, 0.0))
            tranches[key] = {
                "count": counted["counts"][key],
                "amount": amount,
                "percent": round(amount / base * 100, 2) if base else None,
            }
        terms = self.env["account.payment.term"].browse(counted.get("term_ids") or []).sorted()
        return {
            "tranches": tranches,
            "excluded": {
                "count": excluded.get("count", 0),
                "amount": currency.round(excluded.get("total", 0.0)),
                "amounts": {
                    key: currency.round(excluded["amounts"].get(key, 0.0))
                    for key, _columns in (*DELAY_TRANCHES, (LATE, ()))
                },
            },
            "base": base,
            "contractual_terms": ", ".join(terms.mapped("name")),
            "legal_terms": self._payment_delay_legal_terms() if counted.get("without_term") else "",
        }

    def _payment_delay_rows(self, invoice_type):
        """{disputed: {"counts": {tranche: invoices}, "amounts": {tranche: amount}, "count", "total", "term_ids",
        "without_term"}} of the open items of the invoices of type ``invoice_type`` at the year end, in one
        query. Amounts are positive for what is owed (to the company or by it)."""
        sign = 1 if invoice_type.startswith("out_") else -1
        keys = [*(key for key, _columns in DELAY_TRANCHES), LATE]
        in_tranche = [
            SQL(" OR ").join(SQL("item.%s != 0", SQL.identifier(f"amount_{column}")) for column in columns)
            for _key, columns in DELAY_TRANCHES
        ] + [SQL("item.days_overdue > 0")]
        self.env.flush_all()
        query = SQL(
            """
            WITH item AS (
                SELECT item.*, move.invoice_payment_term_id AS term_id, %(disputed)s AS disputed
                  FROM (%(items)s) AS item
                  JOIN account_move move ON move.id = item.move_id
                 WHERE item.company_id = %(company)s
                   AND move.move_type = %(invoice_type)s
                   AND move.invoice_date <= %(date)s
            )
            SELECT item.disputed,
                   %(counts)s,
                   %(amounts)s,
                   COUNT(DISTINCT item.move_id),
                   %(sign)s * SUM(item.amount_total),
                   ARRAY_AGG(DISTINCT item.term_id) FILTER (WHERE item.term_id IS NOT NULL),
                   BOOL_OR(item.term_id IS NULL)
              FROM item
          GROUP BY item.disputed
            """,
            disputed=self._payment_delay_disputed_sql(),
            items=self._payment_delay_items_sql(invoice_type),
            company=self.company_id.id,
            invoice_type=invoice_type,
            date=self.date,
            counts=SQL(", ").join(SQL("COUNT(DISTINCT item.move_id) FILTER (WHERE %s)", where) for where in in_tranche),
            amounts=SQL(", ").join(
                SQL("%s * COALESCE(SUM(item.amount_total) FILTER (WHERE %s), 0)", sign, where) for where in in_tranche
            ),
            sign=sign,
        )
        rows = {}
        for disputed, *values in self.env.execute_query(query):
            counts, amounts = values[: len(keys)], values[len(keys) : 2 * len(keys)]
            count, total, term_ids, without_term = values[2 * len(keys) :]
            rows[disputed] = {
                "counts": dict(zip(keys, counts, strict=True)),
                "amounts": {key: float(amount) for key, amount in zip(keys, amounts, strict=True)},
                "count": count,
                "total": float(total or 0.0),
                "term_ids": term_ids or [],
                "without_term": without_term,
            }
        return rows

    def _payment_delay_items_sql(self, invoice_type):
        """SQL: the items of the aged balance drawn at the year end, on the receivable accounts for the invoices
        issued (the very rows of the aged balance at that date), on the payable accounts for the invoices
        received."""
        aged = (
            self.env["recouvrement.aged.balance"]
            .with_company(self.company_id)
            .with_context(aged_balance_date=self.date)
        )
        if invoice_type.startswith("out_"):
            return aged._table_query
        return aged._aged_items_sql(SQL("account.account_type = 'liability_payable'"))

    def _payment_delay_disputed_sql(self):
        """SQL: whether the invoice ``move`` was in dispute at the year end. The dispute flag is tracked: when it
        changed after the year end, its value then is the old value of its first later change; otherwise it is
        its current value (also when its history was not tracked). The end date of a dispute's collection block
        does not end the dispute, and is not read."""
        after = (
            self.env.tz.localize(datetime.combine(self.date + timedelta(days=1), time.min))
            .astimezone(pytz.utc)
            .replace(tzinfo=None)
        )
        field = self.env["ir.model.fields"]._get("account.move", "collection_dispute")
        return SQL(
            """COALESCE(
                   (SELECT tracking.old_value_integer != 0
                      FROM mail_tracking_value tracking
                      JOIN mail_message message ON message.id = tracking.mail_message_id
                     WHERE tracking.field_id = %(field)s
                       AND message.model = 'account.move'
                       AND message.res_id = move.id
                       AND message.date >= %(after)s
                  ORDER BY message.date, tracking.id
                     LIMIT 1),
                   move.collection_dispute IS TRUE)""",
            field=field.id,
            after=after,
        )

    def _payment_delay_base(self, move_types, date_from):
        """The amount excluding VAT, in company currency, of the invoices less the credit notes of ``move_types``
        posted in the fiscal year (by accounting date, as the income statement): the turnover, or the purchases
        (positive)."""
        [[amount]] = (
            self.env["account.move"]
            .with_company(self.company_id)
            ._read_group(
                [
                    ("company_id", "=", self.company_id.id),
                    ("state", "=", "posted"),
                    ("move_type", "in", move_types),
                    ("date", ">=", date_from),
                    ("date", "<=", self.date),
                ],
                aggregates=["amount_untaxed_signed:sum"],
            )
        )
        sign = 1 if move_types[0].startswith("out_") else -1
        return self.company_id.currency_id.round(sign * (amount or 0.0))

    def _payment_delay_legal_terms(self):
        """The legal terms applying to the invoices without payment terms."""
        return self.env._(
            "60 days from the invoice date, or 45 days end of month (article L. 441-10 of the Code de commerce)"
        )

    # ------------------------------------------------------------------
    # Layout shared by the PDF and the workbook
    # ------------------------------------------------------------------

    def _payment_delay_labels(self):
        """The labels of the model of the arrêté, in the user's language, as the PDF and the workbook print
        them."""
        return {
            "title": self.env._(
                "Payment terms of suppliers and customers (articles L. 441-14 and D. 441-6 of the Code de commerce)"
            ),
            "subtitle": self.env._(
                "Invoices received and issued not paid at the year-end date whose term has expired (table provided "
                "for in I of article D. 441-6)"
            ),
            "received": self.env._(
                "Article D. 441 I.-1°: Invoices received not paid at the year-end date whose term has expired"
            ),
            "issued": self.env._(
                "Article D. 441 I.-2°: Invoices issued not paid at the year-end date whose term has expired"
            ),
            "section_a": self.env._("(A) Late payment tranches"),
            "0": self.env._("0 days (indicative)"),
            "1_30": self.env._("1 to 30 days"),
            "31_60": self.env._("31 to 60 days"),
            "61_90": self.env._("61 to 90 days"),
            "91": self.env._("91 days and more"),
            LATE: self.env._("Total (1 day and more)"),
            "count": self.env._("Number of invoices concerned"),
            "amount": self.env._("Total amount of the invoices concerned (incl. VAT)"),
            "percent_received": self.env._("Percentage of the total purchases of the fiscal year (excl. VAT)"),
            "percent_issued": self.env._("Percentage of the turnover of the fiscal year (excl. VAT)"),
            "section_b": self.env._(
                "(B) Invoices excluded from (A) relating to disputed or unrecorded debts and receivables"
            ),
            "excluded_count": self.env._("Number of excluded invoices"),
            "excluded_amount": self.env._("Total amount of the excluded invoices (incl. VAT)"),
            "section_c": self.env._(
                "(C) Reference payment terms used (contractual or legal term – article L. 441-10 or article L. 441-11 "
                "of the Code de commerce)"
            ),
            "terms_used": self.env._("Payment terms used to compute the late payments"),
            "contractual": self.env._("Contractual terms:"),
            "legal": self.env._("Legal terms:"),
        }

    def _payment_delay_notes(self, figures):
        """The footnote: what the tables count, in the user's language."""
        return [
            self.env._(
                "Invoices issued: customer invoices; invoices received: vendor bills. Credit notes are not invoices "
                "and are left out of both tables. Only posted invoices dated on or before the year end are counted."
            ),
            self.env._(
                "Amounts: what each invoice still owed at the year end, including VAT, in %(currency)s (at the "
                "invoice's rate for an invoice in a foreign currency); a payment dated after the year end is not "
                "deducted. Those of the invoices issued agree with the aged balance at that date.",
                currency=figures["currency"].name,
            ),
            self.env._(
                "Days late: from the due date of each installment to the year end; an invoice in installments is "
                "counted in the tranche of each of its installments, and once in the total."
            ),
            self.env._(
                "Percentages: of the purchases and of the turnover excluding VAT of the fiscal year from %(start)s to "
                "%(end)s (invoices less credit notes).",
                start=format_date(self.env, figures["date_from"]),
                end=format_date(self.env, figures["date"]),
            ),
            self.env._("(B): the invoices in dispute at the year end, whatever their delay, are excluded from (A)."),
        ]

    def _payment_delay_file_name(self):
        """The name of the files, without extension."""
        self.ensure_one()
        return self.env._("Payment delay table %(date)s", date=fields.Date.to_string(self.date))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_print_pdf(self):
        self.ensure_one()
        # the table prints its own heading: no need to have the company's document layout configured first
        return self.env.ref("recouvrement_creances.action_report_payment_delay_table").report_action(self, config=False)

    def action_download_xlsx(self):
        self.ensure_one()
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"{self._payment_delay_file_name()}.xlsx",
                "raw": self._payment_delay_xlsx(),
                "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        return {"type": "ir.actions.act_url", "url": f"/web/content/{attachment.id}?download=true", "target": "self"}

    def _payment_delay_xlsx(self):
        """The XLSX content: the two tables laid out as in the PDF, amounts and percentages as numbers."""
        self.ensure_one()
        figures = self._payment_delay_figures()
        labels = self._payment_delay_labels()
        currency = figures["currency"]
        decimals = "0" * currency.decimal_places
        money = f"#,##0.{decimals}" if decimals else "#,##0"
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet("D. 441-6")
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.fit_to_pages(1, 0)
        style = {
            "title": workbook.add_format({"bold": True, "font_size": 13}),
            "bold": workbook.add_format({"bold": True}),
            "side": workbook.add_format({"bold": True, "bg_color": "#DDDDDD", "border": 1, "text_wrap": True}),
            "section": workbook.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1, "text_wrap": True}),
            "header": workbook.add_format(
                {"bold": True, "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True}
            ),
            "label": workbook.add_format({"border": 1, "text_wrap": True, "valign": "vcenter"}),
            "count": workbook.add_format({"border": 1, "num_format": "0"}),
            "money": workbook.add_format({"border": 1, "num_format": money}),
            "percent": workbook.add_format({"border": 1, "num_format": "0.00%"}),
            "text": workbook.add_format({"border": 1, "text_wrap": True}),
            "note": workbook.add_format({"italic": True, "font_size": 9}),
        }
        keys = [*(key for key, _columns in DELAY_TRANCHES), LATE]
        last = len(keys)
        sheet.set_column(0, 0, 62)
        sheet.set_column(1, last, 16)
        sheet.write(0, 0, labels["title"], style["title"])
        sheet.write(1, 0, figures["company"].name, style["bold"])
        sheet.write(2, 0, self._payment_delay_date_line(figures))
        sheet.write(3, 0, labels["subtitle"])
        row = 5
        for side, _invoice_type, _base_types in DELAY_SIDES:
            table = figures[side]
            sheet.merge_range(row, 0, row, last, labels[side], style["side"])
            sheet.write(row + 1, 0, labels["section_a"], style["section"])
            sheet.write_row(row + 1, 1, [labels[key] for key in keys], style["header"])
            sheet.set_row(row + 1, 30)
            sheet.write(row + 2, 0, labels["count"], style["label"])
            sheet.write(row + 3, 0, labels["amount"], style["label"])
            sheet.write(row + 4, 0, labels[f"percent_{side}"], style["label"])
            for column, key in enumerate(keys, start=1):
                tranche = table["tranches"][key]
                sheet.write_number(row + 2, column, tranche["count"], style["count"])
                sheet.write_number(row + 3, column, tranche["amount"], style["money"])
                if tranche["percent"] is None:
                    sheet.write(row + 4, column, "–", style["text"])
                else:
                    sheet.write_number(row + 4, column, round(tranche["percent"] / 100, 6), style["percent"])
            sheet.merge_range(row + 5, 0, row + 5, last, labels["section_b"], style["section"])
            sheet.write(row + 6, 0, labels["excluded_count"], style["label"])
            sheet.merge_range(row + 6, 1, row + 6, last, table["excluded"]["count"], style["count"])
            sheet.write(row + 7, 0, labels["excluded_amount"], style["label"])
            sheet.merge_range(row + 7, 1, row + 7, last, table["excluded"]["amount"], style["money"])
            sheet.merge_range(row + 8, 0, row + 8, last, labels["section_c"], style["section"])
            sheet.merge_range(row + 9, 0, row + 10, 0, labels["terms_used"], style["label"])
            for offset, kind in ((9, "contractual"), (10, "legal")):
                text = table[f"{kind}_terms"]
                sheet.merge_range(
                    row + offset,
                    1,
                    row + offset,
                    last,
                    f"{'☒' if text else '☐'} {labels[kind]} {text}".rstrip(),
                    style["text"],
                )
            row += 12
        for note in self._payment_delay_notes(figures):
            sheet.write(row, 0, note, style["note"])
            row += 1
        workbook.close()
        return output.getvalue()

    def _payment_delay_date_line(self, figures):
        """The line under the title: the year end and the fiscal year it closes."""
        return self.env._(
            "Year end: %(date)s (fiscal year from %(start)s to %(date)s)",
            date=format_date(self.env, figures["date"]),
            start=format_date(self.env, figures["date_from"]),
        )
