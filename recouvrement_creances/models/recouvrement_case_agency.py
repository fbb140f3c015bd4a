import csv
import io

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date


class RecouvrementCase(models.Model):
    """The hand-over of a case to a collection agency: its mandate, the file sent and its commission."""

    _inherit = "recouvrement.case"

    agency_id = fields.Many2one(
        "res.partner",
        string="Collection Agency",
        domain="[('collection_agency', '=', True)]",
        tracking=True,
        check_company=True,
    )
    agency_rate = fields.Float(
        string="Commission (%)",
        compute="_compute_agency_rate",
        store=True,
        readonly=False,
        help="The agency's commission on what it recovers, from its mandate.",
    )
    agency_handover_date = fields.Date(string="Handed to the Agency on", readonly=True, copy=False, tracking=True)
    agency_commission = fields.Monetary(
        string="Commission Owed", compute="_compute_agency_commission", help="The commission on what was recovered."
    )
    agency_bill_ids = fields.Many2many(
        "account.move",
        "recouvrement_case_agency_bill_rel",
        "case_id",
        "move_id",
        string="Commission Bills",
        readonly=True,
        copy=False,
    )
    agency_commission_billed = fields.Monetary(string="Commission Billed", compute="_compute_agency_commission")

    @api.depends("agency_id")
    def _compute_agency_rate(self):
        for case in self:
            case.agency_rate = case.agency_id.sudo().collection_agency_rate

    @api.depends(
        "agency_rate",
        "agency_handover_date",
        "amount_recovered",
        "agency_bill_ids.amount_untaxed",
        "agency_bill_ids.state",
    )
    def _compute_agency_commission(self):
        for case in self:
            # what the debtor paid once the agency had the file: the insurer's indemnity is not the agency's work
            received = (
                case.move_ids._collection_payments_received(since=case.agency_handover_date, debtor_only=True)
                if case.agency_handover_date
                else {}
            )
            recovered = sum(amount for amount, _day in received.values())
            case.agency_commission = case.currency_id.round(recovered * case.agency_rate / 100)
            bills = case.agency_bill_ids.filtered(lambda bill: bill.state != "cancel")
            case.agency_commission_billed = sum(bills.mapped("amount_untaxed"))

    @api.constrains("agency_id")
    def _check_agency(self):
        for case in self.filtered(lambda case: case.agency_id and not case.agency_id.collection_agency):
            raise ValidationError(
                self.env._(
                    "%(record)s: %(partner)s is not a collection agency (tick it on the partner first).",
                    record=case._input_record_label(),
                    partner=case.agency_id.display_name,
                )
            )

    # ------------------------------------------------------------------
    # Collection agency
    # ------------------------------------------------------------------

    def action_agency_handover(self):
        """Hand the case to its agency: the evidence file and a CSV of the invoices are attached to the case, and
        the email to the agency is prepared with both."""
        self.ensure_one()
        if not self.agency_id:
            raise UserError(self.env._("Choose the collection agency of the case first."))
        if not self.agency_id.collection_agency_mandate_date:
            raise UserError(
                self.env._(
                    "The agency %(agency)s acts under a written mandate (CPCE R124-3): record its date on the agency "
                    "first.",
                    agency=self.agency_id.name,
                )
            )
        self._generate_evidence()
        evidence = self.env["ir.attachment"].search(
            [("res_model", "=", self._name), ("res_id", "=", self.id), ("res_field", "=", "evidence_file")], limit=1
        )
        listing = self.env["ir.attachment"].create(
            {
                "name": self.env._("Invoices %(case)s.csv", case=self.name).replace("/", "-"),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "text/csv",
                "raw": self._agency_invoice_csv(),
            }
        )
        copy = evidence.copy({"res_field": False, "name": self.evidence_file_name})
        self.write({"case_type": "agency", "agency_handover_date": fields.Date.context_today(self)})
        return self.env["mail.compose.message"]._get_records_action(
            name=self.env._("Hand Over to the Agency"),
            target="new",
            context={
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_composition_mode": "comment",
                "default_partner_ids": self.agency_id.ids,
                "default_subject": self.env._(
                    "Collection mandate: %(debtor)s (%(case)s)", debtor=self.partner_id.name, case=self.name
                ),
                "default_body": Markup("<p>%s</p>")
                % self.env._(
                    "Under our mandate of %(date)s, please find the file of %(debtor)s: %(amount)s outstanding. "
                    "The evidence file and the list of the invoices are attached.",
                    date=format_date(self.env, self.agency_id.collection_agency_mandate_date),
                    debtor=self.partner_id.name,
                    amount=self.currency_id.format(self.amount_outstanding),
                ),
                "default_attachment_ids": [fields.Command.set((copy | listing).ids)],
            },
        )

    def _agency_invoice_csv(self):
        """The invoices of the case, one per row, for the agency's system (UTF-8, semicolons)."""
        self.ensure_one()
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(
            ["debtor", "debtor_registry", "invoice", "invoice_date", "due_date", "currency", "amount", "residual"]
        )
        for move in self.move_ids.sorted(lambda m: (m.invoice_date_due, m.id)):
            writer.writerow(
                [
                    self.partner_id.name,
                    self.partner_id.company_registry or "",
                    move.name,
                    move.invoice_date,
                    move.invoice_date_due,
                    move.currency_id.name,
                    f"{move.amount_total:.{move.currency_id.decimal_places}f}",
                    f"{move.amount_residual:.{move.currency_id.decimal_places}f}",
                ]
            )
        return buffer.getvalue().encode()

    def action_bill_agency_commission(self):
        """Draft the agency's bill for the commission owed and not yet billed."""
        self.ensure_one()
        due = self.currency_id.round(self.agency_commission - self.agency_commission_billed)
        if not self.agency_id or self.currency_id.compare_amounts(due, 0) <= 0:
            raise UserError(self.env._("No commission is owed to the agency beyond what was billed."))
        tax = self.company_id.account_purchase_tax_id
        if any(tax.mapped("price_include")):  # the commission owed is an amount excluding tax
            due = self.currency_id.round(
                due * (1 + sum(tax.filtered(lambda t: t.amount_type == "percent").mapped("amount")) / 100)
            )
        bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "company_id": self.company_id.id,
                "partner_id": self.agency_id.id,
                "currency_id": self.currency_id.id,
                "invoice_date": fields.Date.context_today(self),
                "ref": self.name,
                "invoice_line_ids": [
                    fields.Command.create(
                        {
                            "name": self.env._(
                                "Collection commission, case %(case)s (%(rate)s %% of %(recovered)s)",
                                case=self.name,
                                rate=self.agency_rate,
                                recovered=self.currency_id.format(self.amount_recovered),
                            ),
                            "quantity": 1,
                            "price_unit": due,
                            "tax_ids": [fields.Command.set(tax.ids)],
                        }
                    )
                ],
            }
        )
        self.agency_bill_ids = [fields.Command.link(bill.id)]
        return bill._get_records_action(name=self.env._("Commission Bill"))
