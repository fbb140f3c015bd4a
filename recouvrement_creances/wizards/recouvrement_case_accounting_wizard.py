from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError


class RecouvrementCaseAccountingWizard(models.TransientModel):
    """Book the accounting of a doubtful debt, after a preview: the transfer to doubtful debts, an impairment or its
    reversal, or the write-off of an irrecoverable debt."""

    _name = "recouvrement.case.accounting.wizard"
    _inherit = ["recouvrement.input.mixin"]
    _description = "Doubtful Debt Accounting"

    case_id = fields.Many2one("recouvrement.case", required=True, readonly=True)
    company_id = fields.Many2one(related="case_id.company_id")
    currency_id = fields.Many2one(related="case_id.company_currency_id")
    operation = fields.Selection(
        [
            ("doubtful", "Transfer to Doubtful Debts"),
            ("impairment", "Book an Impairment"),
            ("impairment_reversal", "Reverse the Impairment"),
            ("doubtful_reversal", "Bring Back from Doubtful Debts"),
            ("write_off", "Write Off as Irrecoverable"),
        ],
        required=True,
        default="doubtful",
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    percent = fields.Float(string="Impairment (%)", default=100.0, help="Share of the debt excluding VAT.")
    untaxed_residual = fields.Monetary(string="Debt Excluding VAT", compute="_compute_preview")
    in_legal_stage = fields.Boolean(compute="_compute_preview")
    confirm_legal = fields.Boolean(
        string="Write off although the procedure is under way",
        help="The case is still in a legal stage: confirm the write-off.",
    )
    preview = fields.Html(compute="_compute_preview", sanitize=False)

    @api.model
    def _input_bounds(self):
        return {**super()._input_bounds(), "percent": (0, 100)}

    @api.depends("case_id", "operation", "percent", "date")
    def _compute_preview(self):
        for wizard in self:
            case = wizard.case_id
            wizard.untaxed_residual = case._untaxed_residual() if case else 0.0
            wizard.in_legal_stage = bool(case) and case.case_type == "legal" and case.stage_id.interrupts_prescription
            wizard.preview = wizard._preview_html()

    def _preview_html(self):
        """What will be booked, in words and figures: the user reads it before confirming."""
        self.ensure_one()
        case, money = self.case_id, self.currency_id.format
        if not case:
            return False
        texts = {
            "doubtful": self.env._(
                "%(amount)s of receivables move to the doubtful debts account; the invoices stay open.",
                amount=money(sum(self.case_id.move_ids.mapped("amount_residual_signed"))),
            ),
            "impairment": self.env._(
                "An impairment of %(percent)s %% of %(base)s excluding VAT, that is %(target)s, of which %(booked)s is "
                "booked already.",
                percent=self.percent,
                base=money(self.untaxed_residual),
                target=money(self.currency_id.round(self.untaxed_residual * self.percent / 100)),
                booked=money(case.amount_impairment),
            ),
            "impairment_reversal": self.env._(
                "The impairment of %(amount)s is reversed to income.", amount=money(case.amount_impairment)
            ),
            "doubtful_reversal": self.env._(
                "The %(amount)s in doubtful debts come back to the customer account.",
                amount=money(case.amount_doubtful),
            ),
            "write_off": self.env._(
                "The transfer to doubtful debts and the impairment (%(impairment)s) are reversed; a corrective credit "
                "note writes off %(untaxed)s excluding VAT as a loss and recovers the VAT (CGI 272-1).",
                impairment=money(case.amount_impairment),
                untaxed=money(self.untaxed_residual),
            ),
        }
        return Markup("<p>%s</p>") % texts[self.operation]

    def action_confirm(self):
        self.ensure_one()
        case = self.case_id
        if self.operation == "doubtful":
            moves = case._transfer_to_doubtful(self.date)
        elif self.operation == "impairment":
            moves = case._book_impairment(self.percent, self.date)
        elif self.operation == "impairment_reversal":
            moves = case._reverse_impairment(self.date)
        elif self.operation == "doubtful_reversal":
            moves = case._reverse_doubtful_transfer(self.date)
        else:
            if self.in_legal_stage and not self.confirm_legal:
                raise UserError(
                    self.env._(
                        "The case %(case)s is still in the legal stage “%(stage)s”: confirm that the debt is "
                        "written off all the same.",
                        case=case.name,
                        stage=case.stage_id.name,
                    )
                )
            moves = case._write_off(self.date)
        if not moves:
            raise UserError(self.env._("There is nothing to book."))
        case.message_post(
            body=Markup("<p>%s</p>%s")
            % (dict(self._fields["operation"]._description_selection(self.env))[self.operation], self.preview)
        )
        return moves._get_records_action(name=self.env._("Accounting Entries"))
