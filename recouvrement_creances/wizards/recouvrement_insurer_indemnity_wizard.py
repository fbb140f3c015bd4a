from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date


class RecouvrementInsurerIndemnityWizard(models.TransientModel):
    """Record the indemnity the credit insurer paid on a case."""

    _name = "recouvrement.insurer.indemnity.wizard"
    _inherit = ["recouvrement.input.mixin"]
    _description = "Record a Credit Insurance Indemnity"

    case_id = fields.Many2one("recouvrement.case", required=True, readonly=True)
    company_id = fields.Many2one(related="case_id.company_id")
    currency_id = fields.Many2one(related="case_id.currency_id")
    amount = fields.Monetary(compute="_compute_amount", store=True, readonly=False)
    date = fields.Date(required=True, default=fields.Date.context_today)
    journal_id = fields.Many2one(
        "account.journal",
        domain="[('company_id', '=', company_id), ('type', 'in', ('bank', 'cash'))]",
        compute="_compute_journal_id",
        store=True,
        readonly=False,
    )

    @api.depends("case_id")
    def _compute_amount(self):
        for wizard in self:
            wizard.amount = wizard.case_id.insurer_expected - wizard.case_id.insurer_indemnity

    @api.depends("company_id")
    def _compute_journal_id(self):
        for wizard in self:
            wizard.journal_id = self.env["account.journal"].search(
                [*self.env["account.journal"]._check_company_domain(wizard.company_id), ("type", "=", "bank")], limit=1
            )

    @api.constrains("date", "journal_id")
    def _check_payment(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            if wizard.date > today:
                raise ValidationError(
                    self.env._(
                        "An indemnity received cannot be dated in the future (%(date)s).",
                        date=format_date(self.env, wizard.date),
                    )
                )
            journal = wizard.journal_id
            if journal and (journal.type not in ("bank", "cash") or journal.company_id != wizard.company_id):
                raise ValidationError(
                    self.env._(
                        "The indemnity is received on a bank or cash journal of %(company)s, not on “%(journal)s”.",
                        company=wizard.company_id.name,
                        journal=journal.display_name,
                    )
                )

    def action_confirm(self):
        self.ensure_one()
        if not self.journal_id:
            raise UserError(self.env._("Choose the bank journal the indemnity was received on."))
        self.case_id._book_insurer_indemnity(self.amount, self.date, self.journal_id)
        return {"type": "ir.actions.act_window_close"}
