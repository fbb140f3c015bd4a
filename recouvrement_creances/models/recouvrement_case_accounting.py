from odoo import api, fields, models
from odoo.exceptions import UserError


class RecouvrementCase(models.Model):
    """Doubtful-debt accounting of a case: transfer to doubtful debts, impairment and its reversal, write-off with VAT
    recovery (PCG 416, 491, 654; CGI 272-1)."""

    _inherit = "recouvrement.case"

    # doubtful-debt accounting: the entries of the case, and the balances read from them
    accounting_move_ids = fields.Many2many(
        "account.move",
        "recouvrement_case_accounting_move_rel",
        "case_id",
        "move_id",
        string="Accounting Entries",
        readonly=True,
        copy=False,
    )
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")
    amount_doubtful = fields.Monetary(
        string="In Doubtful Debts", currency_field="company_currency_id", compute="_compute_accounting_balances"
    )
    amount_impairment = fields.Monetary(
        string="Impairment", currency_field="company_currency_id", compute="_compute_accounting_balances"
    )

    @api.depends("accounting_move_ids.line_ids.balance", "accounting_move_ids.state")
    def _compute_accounting_balances(self):
        for case in self:
            lines = case.accounting_move_ids.filtered(lambda move: move.state == "posted").line_ids
            balances = {}
            for kind in ("doubtful", "impairment"):
                account = case.company_id._collection_doubtful_account(kind, raise_if_missing=False) if lines else False
                balances[kind] = sum(
                    lines.filtered(lambda line, account=account: line.account_id == account).mapped("balance")
                )
            case.amount_doubtful = balances["doubtful"]
            case.amount_impairment = -balances["impairment"]

    # ------------------------------------------------------------------
    # Doubtful-debt accounting
    # ------------------------------------------------------------------

    def _accounting_entry(self, lines, on_date, label):
        """Post a miscellaneous entry of ``lines`` [(account, balance in company currency, values)] for the case,
        and keep it on the case."""
        self.ensure_one()
        journal = self.env["account.journal"].search(
            [*self.env["account.journal"]._check_company_domain(self.company_id), ("type", "=", "general")], limit=1
        )
        move = self.env["account.move"].create(
            {
                "move_type": "entry",
                "company_id": self.company_id.id,
                "journal_id": journal.id,
                "date": on_date,
                "ref": f"{self.name} – {label}",
                "line_ids": [
                    fields.Command.create(
                        {
                            "account_id": account.id,
                            "balance": balance,
                            "partner_id": self.partner_id.id,
                            "name": label,
                            **values,
                        }
                    )
                    for account, balance, values in lines
                ],
            }
        )
        move.action_post()
        self.accounting_move_ids = [fields.Command.link(move.id)]
        return move

    def _doubtful_transfer_lines(self):
        """Each open receivable line of the invoices moves to the doubtful debts account. The invoices stay open:
        they are still owed, and the lines of the transfer are left out of the follow-ups."""
        self.ensure_one()
        doubtful = self.company_id._collection_doubtful_account("doubtful")
        lines = []
        for line in self.move_ids.line_ids.filtered(
            lambda line: line.account_type == "asset_receivable" and not line.reconciled
        ):
            # both lines keep the invoice's due date and name it: the aged balance shows the doubtful debt in the
            # invoice's age column, with its invoice
            currency = {
                "currency_id": line.currency_id.id,
                "date_maturity": line.date_maturity,
                "name": self.env._("Transfer to doubtful debts – %s", line.move_id.name),
            }
            lines.append(
                (doubtful, line.amount_residual, {**currency, "amount_currency": line.amount_residual_currency})
            )
            lines.append(
                (
                    line.account_id,
                    -line.amount_residual,
                    {**currency, "amount_currency": -line.amount_residual_currency},
                )
            )
        return lines

    def _untaxed_residual(self):
        """What the invoices still owe, excluding VAT, in the company's currency: an impairment is booked on it."""
        self.ensure_one()
        return self.company_id.currency_id.round(
            sum(
                move.amount_residual_signed * move.amount_untaxed / move.amount_total
                for move in self.move_ids
                if move.amount_total
            )
        )

    def _transfer_to_doubtful(self, on_date):
        if self.amount_doubtful:
            raise UserError(self.env._("The debt of this case is already in doubtful debts."))
        lines = self._doubtful_transfer_lines()
        if not lines:
            raise UserError(self.env._("The invoices of this case owe nothing more."))
        return self._accounting_entry(lines, on_date, self.env._("Transfer to doubtful debts"))

    def _book_impairment(self, percent, on_date):
        """An impairment of ``percent`` of the debt excluding VAT, or its increase from what is booked already."""
        if not 0 < percent <= 100:
            raise UserError(self.env._("An impairment is between 0 and 100 % of the debt excluding VAT."))
        company = self.company_id
        target = company.currency_id.round(self._untaxed_residual() * percent / 100)
        amount = company.currency_id.round(target - self.amount_impairment)
        if company.currency_id.compare_amounts(amount, 0) <= 0:
            raise UserError(self.env._("This impairment is already booked."))
        return self._accounting_entry(
            [
                (company._collection_doubtful_account("impairment_expense"), amount, {}),
                (company._collection_doubtful_account("impairment"), -amount, {}),
            ],
            on_date,
            self.env._("Impairment of %(percent)s %% of the debt excluding VAT", percent=percent),
        )

    def _reverse_impairment(self, on_date):
        """Reverse the whole impairment to income (the debt was recovered or written off)."""
        company = self.company_id
        amount = self.amount_impairment
        if company.currency_id.is_zero(amount):
            return self.env["account.move"]
        return self._accounting_entry(
            [
                (company._collection_doubtful_account("impairment"), amount, {}),
                (company._collection_doubtful_account("impairment_income"), -amount, {}),
            ],
            on_date,
            self.env._("Reversal of the impairment"),
        )

    def _reverse_doubtful_transfer(self, on_date):
        """Bring the debt back from doubtful debts, by reversing the transfer entries still standing."""
        transfers = self.accounting_move_ids.filtered(
            lambda move: move.state == "posted"
            and not move.reversal_move_ids
            and not move.reversed_entry_id
            and move.line_ids.account_id & self.company_id._collection_doubtful_account("doubtful")
        )
        if not transfers:
            return self.env["account.move"]
        reversals = transfers._reverse_moves([{"date": on_date}] * len(transfers), cancel=True)
        self.accounting_move_ids = [fields.Command.link(move.id) for move in reversals]
        return reversals

    def _write_off(self, on_date):
        """The debt is irrecoverable: the transfer to doubtful debts and the impairment are reversed, and a
        corrective credit note (CGI 272-1) writes the invoices off to 654 excluding VAT and recovers their VAT."""
        self.ensure_one()
        self._reverse_doubtful_transfer(on_date)
        self._reverse_impairment(on_date)
        company = self.company_id

        def ratio(move):
            return move.amount_residual / move.amount_total

        # 6541 for the debts of the fiscal year, 6544 for older ones
        year_start = company.compute_fiscalyear_dates(on_date)["date_from"]
        kind = "write_off_year" if all(move.invoice_date >= year_start for move in self.move_ids) else "write_off"
        credit_note = self.move_ids._collection_credit_note(
            ratio,
            company._collection_doubtful_account(kind),
            self.with_context(lang=self.partner_id.lang).env._("Irrecoverable debt written off"),
            on_date,
        )
        self.accounting_move_ids = [fields.Command.link(credit_note.id)]
        return credit_note
