from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import formatLang

from ..tools.penalties import (
    MissingRateError,
    RateBelowFloorError,
    as_fraction,
    contract_rate_checked,
    interest_segments,
    round_amount,
    uncovered_periods,
    was_late,
)


class AccountMove(models.Model):
    """Late-payment penalties of an invoice: the penalties or legal interest and the recovery indemnity, computed
    on the day from the rate tables, and what a contentious case claims from them."""

    _inherit = "account.move"

    # Late-payment penalties: computed on the day, never stored (they grow every day).
    collection_penalty_amount = fields.Monetary(
        string="Late-Payment Penalties to Date",
        compute="_compute_collection_penalties",
        help="Late-payment penalties (businesses) or legal interest from the formal notice (individuals) "
        "accrued from the day after the due date until today or the payment.",
    )
    collection_indemnity_amount = fields.Monetary(
        string="Recovery Indemnity",
        compute="_compute_collection_penalties",
        help="Fixed indemnity for recovery costs owed by a late business (Code de commerce D441-5).",
    )
    collection_penalty_to_invoice = fields.Monetary(
        string="Not Yet Invoiced",
        compute="_compute_collection_penalties",
        help="Penalties accrued since the last penalty invoice, and the indemnity if it was never charged.",
    )
    collection_penalty_error = fields.Char(string="Penalties Not Computed", compute="_compute_collection_penalties")
    collection_penalty_ids = fields.One2many(
        "recouvrement.penalty",
        "move_id",
        string="Penalties Invoiced or Waived",
        readonly=True,
        groups="recouvrement_creances.group_recouvrement_agent",
    )

    @api.depends_context("company")
    def _compute_collection_penalties(self):
        figures = self._collection_penalty_figures(fields.Date.context_today(self))
        for move in self:
            figure = figures.get(move, {})
            move.collection_penalty_amount = figure.get("accrued", 0.0)
            move.collection_indemnity_amount = figure.get("indemnity", 0.0)
            move.collection_penalty_to_invoice = figure.get("penalty", 0.0) + figure.get("indemnity_due", 0.0)
            move.collection_penalty_error = figure.get("error", False)

    # ------------------------------------------------------------------
    # Late-payment penalties
    # ------------------------------------------------------------------

    def _collection_penalty_figures(self, on_date):
        """The late-payment penalties of these customer invoices on ``on_date``, read in a few queries.

        :return: {move: dict} with, in the invoice's currency: ``accrued`` (since the penalties started),
            ``indemnity`` (owed for being late), ``penalty`` and ``indemnity_due`` (not yet invoiced nor
            waived), ``date_from`` / ``date_to`` (the period not yet invoiced), ``rates`` (their label) and
            ``error`` (why nothing could be computed, e.g. a missing rate; the amounts are then 0) and ``b2b``
            (penalties of a business, else legal interest of an individual)
        """
        moves = self.filtered(lambda m: m.move_type == "out_invoice" and m.state == "posted")
        moves -= moves._collection_penalty_invoices()  # penalties bear no penalties
        if not moves:
            return {}
        rates = self.env["recouvrement.rate"]._rate_table()
        terms = {}
        for company, company_moves in moves.grouped("company_id").items():
            policies = company_moves.commercial_partner_id.with_company(company)._collection_policies()
            for move in company_moves:
                terms[move] = move._collection_penalty_terms(policies[move.commercial_partner_id], rates)
        debts = moves._collection_penalty_debts()
        charged = moves._collection_penalty_charged()
        # only individuals' interest runs from the formal notice
        notices = moves.filtered(lambda move: not terms[move]["b2b"])._collection_formal_notice_dates()
        stops = moves._collection_penalty_stop_dates()
        return {
            move: move._collection_penalty_figure(
                terms[move],
                debts.get(move, []),
                charged.get(move, ([], 0.0)),
                notices.get(move),
                min(on_date, stops.get(move, on_date)),
            )
            for move in moves
        }

    def _collection_penalty_stop_dates(self):
        """{move: the day its penalties and interest stopped running} for those of these invoices whose penalties
        the law stops (none here: see the collective proceedings)."""
        return {}

    def _collection_penalty_terms(self, policy, rates):
        """How this invoice's penalties are computed: {b2b, rate_of(half_year), basis, indemnity (EUR)}."""
        self.ensure_one()
        rule = self.commercial_partner_id.with_company(self.company_id)._collection_penalty_rule(policy)
        terms = {"b2b": rule["b2b"], "basis": rule["basis"], "indemnity": rule["indemnity"] if rule["b2b"] else 0.0}
        if not rule["b2b"]:
            terms["rate_of"] = lambda period: rates("legal_other", period)
        elif rule["contract_rate"]:
            terms["rate_of"] = contract_rate_checked(rule["contract_rate"], lambda period: rates("legal_other", period))
        else:
            terms["rate_of"] = lambda period: rates("ecb", period) + as_fraction(rule["ecb_points"])
        return terms

    def _collection_penalty_figure(self, terms, debts, charged, notice_date, on_date):
        """The figures of :meth:`_collection_penalty_figures` for this invoice, given its ``terms``, its
        ``debts`` [(due date, amount, payments)], what was ``charged`` already ([(first, last day)] of the
        periods invoiced or waived, indemnity) and the date of its formal notice (individuals owe interest
        from it only)."""
        self.ensure_one()
        covered, indemnity_charged = charged
        figure = {"date_to": on_date, "date_from": None, "error": False, "rates": "", "b2b": terms["b2b"]}
        # the indemnity is owed for paying late, whatever the rates: it is never dropped with the penalties
        late = any(was_late(amount, due, on_date, payments) for due, amount, payments in debts)
        indemnity = self._collection_indemnity_in_currency(terms["indemnity"], on_date) if late else 0.0
        figure.update(indemnity=indemnity, indemnity_due=0.0 if indemnity_charged else indemnity)
        accrued, pending, rate_set = 0, 0, []
        try:
            for due, amount, payments in debts:
                start = due if terms["b2b"] else notice_date and max(due, notice_date)
                if not start:
                    continue
                segments = interest_segments(amount, start, on_date, payments, terms["rate_of"], terms["basis"])
                accrued += sum(segment.amount for segment in segments)
                for after, until in uncovered_periods(start, on_date, covered):
                    new = (
                        segments  # nothing charged yet: the whole period is still to invoice
                        if (after, until) == (start, on_date)
                        else interest_segments(amount, after, until, payments, terms["rate_of"], terms["basis"])
                    )
                    if new:
                        pending += sum(segment.amount for segment in new)
                        figure["date_from"] = min(filter(None, [figure["date_from"], new[0].date_from]))
                rate_set += [segment.rate for segment in segments if segment.rate not in rate_set]
        except (MissingRateError, RateBelowFloorError) as error:
            # nothing is computed from a guessed rate: the penalties are refused, the indemnity stays
            figure.update(error=self.env["recouvrement.rate"]._rate_error(error).args[0], accrued=0.0, penalty=0.0)
            return figure
        rounding = self.currency_id.rounding
        figure.update(
            accrued=round_amount(accrued, rounding),
            penalty=round_amount(pending, rounding),
            rates=" ; ".join(f"{formatLang(self.env, float(rate), digits=2)} %" for rate in rate_set),
        )
        return figure

    def _collection_penalty_invoices(self):
        """Those of these moves that are penalty invoices or the interest invoice of a payment plan: they bear
        no penalties themselves."""
        penalties = self.env["account.move"].union(
            *(
                move
                for [move] in self.env["account.move.line"]
                .sudo()
                ._read_group([("move_id", "in", self.ids), ("collection_penalty_id", "!=", False)], ["move_id"])
            )
        )
        interests = self.env["recouvrement.payment.plan"].sudo().search([("interest_invoice_id", "in", self.ids)])
        return penalties | interests.interest_invoice_id

    def _collection_invoice_mention(self):
        """The late-payment terms this customer invoice prints (L441-9), or "": not on penalty invoices."""
        self.ensure_one()
        if self.move_type != "out_invoice" or not self.partner_id or self._collection_penalty_invoices():
            return ""
        return self.company_id._collection_invoice_mention(self.partner_id)

    def _collection_indemnity_in_currency(self, amount_eur, on_date):
        """The fixed indemnity, set in euros, in this invoice's currency on ``on_date``."""
        self.ensure_one()
        if not amount_eur or self.currency_id.name == "EUR":
            return amount_eur
        return self.env.ref("base.EUR")._convert(amount_eur, self.currency_id, self.company_id, on_date)

    def _collection_penalty_debts(self):
        """{move: [(due date, amount, [(payment date, amount paid)])]}: one entry per receivable line (an
        invoice in installments is late installment by installment), amounts in the invoice's currency."""
        lines = (
            self.env["account.move.line"]
            .sudo()
            .search_fetch(
                [("move_id", "in", self.ids), ("account_type", "=", "asset_receivable")],
                ["move_id", "date_maturity", "amount_currency", "date"],
            )
        )
        partials = (
            self.env["account.partial.reconcile"]
            .sudo()
            .search_fetch([("debit_move_id", "in", lines.ids)], ["debit_move_id", "max_date", "debit_amount_currency"])
        )
        payments = defaultdict(list)
        for partial in partials:
            payments[partial.debit_move_id].append((partial.max_date, partial.debit_amount_currency))
        debts = defaultdict(list)
        for line in lines.filtered(lambda line: line.amount_currency > 0):
            debts[line.move_id].append((line.date_maturity or line.date, line.amount_currency, payments[line]))
        return debts

    def _collection_penalty_charged(self):
        """{move: ([(first, last day)] of the penalties invoiced or waived, indemnity invoiced or waived)}; the
        charges of a cancelled penalty invoice do not count."""
        charges = (
            self.env["recouvrement.penalty"]
            .sudo()
            .search_fetch(
                [("move_id", "in", self.ids), ("state", "!=", "cancelled")],
                ["move_id", "date_from", "date_to", "indemnity_amount"],
            )
        )
        charged = {}
        for charge in charges:
            periods, indemnity = charged.get(charge.move_id, ([], 0.0))
            if charge.date_from:
                periods.append((charge.date_from, charge.date_to))
            charged[charge.move_id] = (periods, indemnity + charge.indemnity_amount)
        return charged

    def _collection_formal_notice_dates(self):
        """{move: date of its first formal notice}: see :meth:`recouvrement.action._formal_notice_date`."""
        if not self:
            return {}
        lines = (
            self.env["recouvrement.action.line"]
            .sudo()
            .search_fetch(
                [
                    ("move_id", "in", self.ids),
                    ("excluded", "=", False),
                    ("action_id.channel", "=", "registered_letter"),
                    ("action_id.state", "=", "done"),
                ],
                ["move_id", "action_id"],
            )
        )
        dates = {}
        for line in lines:
            notice = line.action_id._formal_notice_date()
            dates[line.move_id] = min(filter(None, [dates.get(line.move_id), notice]))
        return dates

    def _collection_case_claim(self, figures):
        """What a case claims for these invoices: {amount_principal, amount_penalties, amount_indemnity,
        amount_interest}, from the penalty ``figures`` of ``_collection_penalty_figures`` (the business
        penalties, or the legal interest of individuals, accrued and not yet invoiced)."""
        errors = {figure["error"] for move, figure in figures.items() if move in self and figure["error"]}
        if errors:
            raise UserError(
                self.env._(
                    "The claim of %(invoices)s cannot be computed: %(errors)s",
                    invoices=", ".join(self.mapped("name")),
                    errors=" ".join(sorted(errors)),
                )
            )
        claim = dict.fromkeys(("amount_principal", "amount_penalties", "amount_indemnity", "amount_interest"), 0.0)
        for move in self:
            claim["amount_principal"] += move.amount_residual
            figure = figures.get(move)
            if not figure:
                continue
            claim["amount_indemnity"] += figure["indemnity_due"]
            key = "amount_penalties" if figure["b2b"] else "amount_interest"
            claim[key] += figure["penalty"]
        return claim
