from datetime import date, timedelta
from functools import partial

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import formatLang

from ..tools.penalties import (
    MissingRateError,
    RateBelowFloorError,
    as_fraction,
    contract_rate_checked,
    half_year_start,
    half_years,
    next_half_year,
)

RATE_KINDS = [
    ("ecb", "ECB Main Refinancing Rate"),
    ("legal_individual", "Legal Interest Rate: Creditor an Individual"),
    ("legal_other", "Legal Interest Rate: Other Cases"),
]
ECB_CHECKED_UNTIL = "recouvrement_creances.ecb_rates_checked_until"


class RecouvrementRate(models.Model):
    _name = "recouvrement.rate"
    _inherit = ["recouvrement.input.mixin"]
    _description = "Published Interest Rate"
    _order = "kind, date_start desc"
    _rec_name = "date_start"

    kind = fields.Selection(RATE_KINDS, required=True)
    date_start = fields.Date(
        string="In Force From",
        required=True,
        help="ECB rate: the day the change took effect. Legal rate: the first day of its half-year "
        "(1 January or 1 July).",
    )
    rate = fields.Float(string="Rate (%)", digits=(7, 4), required=True)
    source = fields.Text(help="Where this figure was published (decision, arrêté, Journal officiel).")
    missing_half_years = fields.Text(compute="_compute_missing_half_years")

    _kind_date_unique = models.Constraint(
        "UNIQUE(kind, date_start)", "There is already a rate of this kind in force from this date."
    )

    @api.constrains("kind", "date_start", "rate")
    def _check_half_year(self):
        for rate in self.filtered(lambda r: r.kind != "ecb"):
            if rate.date_start != half_year_start(rate.date_start):
                raise ValidationError(
                    self.env._("A legal interest rate is set per half-year: it starts on 1 January or 1 July.")
                )
            if rate.rate < 0:
                raise ValidationError(self.env._("A legal interest rate cannot be negative."))

    def _compute_missing_half_years(self):
        text = self._missing_half_years_text()
        for rate in self:
            rate.missing_half_years = text

    # ------------------------------------------------------------------
    # Looking rates up
    # ------------------------------------------------------------------

    @api.model
    def _ecb_checked_until(self):
        """Last day up to which the ECB table is known to be complete (set in the settings)."""
        value = self.env["ir.config_parameter"].sudo().get_param(ECB_CHECKED_UNTIL)
        return fields.Date.to_date(value) if value else None

    @api.model
    def _ecb_known_until(self):
        """Last day of the last half-year whose ECB reference rate is known, or None."""
        checked_until = self._ecb_checked_until()
        return checked_until and next_half_year(half_year_start(checked_until)) - timedelta(days=1)

    @api.model
    def _rate_table(self):
        """``rate_of(kind, half_year_start)``: the published rate of that half-year, in percent, as an exact
        fraction. Raises :class:`MissingRateError` when it is not known: never an older rate instead."""
        rows = self.sudo().search_fetch([], ["kind", "date_start", "rate"], order="date_start")
        legal = {(row.kind, row.date_start): as_fraction(row.rate) for row in rows if row.kind != "ecb"}
        ecb = [(row.date_start, as_fraction(row.rate)) for row in rows if row.kind == "ecb"]
        checked_until = self._ecb_checked_until()

        def rate_of(kind, period):
            if kind == "ecb":
                # The rate in force on 1 January / 1 July (L441-10 II), if the table is known up to that day.
                known = [rate for day, rate in ecb if day <= period]
                if not known or not checked_until or period > checked_until:
                    raise MissingRateError(kind, period)
                return known[-1]
            if (kind, period) not in legal:
                raise MissingRateError(kind, period)
            return legal[kind, period]

        return rate_of

    @api.model
    def _missing_half_years(self, until=None):
        """[(kind, half_year_start)] of the half-years without a rate, from the first published legal rate
        to the half-year of ``until`` (today by default)."""
        until = until or fields.Date.context_today(self)
        first = self.sudo().search([("kind", "!=", "ecb")], order="date_start", limit=1).date_start or date(
            until.year, 1, 1
        )
        rate_of = self._rate_table()
        missing = []
        for kind, _label in RATE_KINDS:
            for period in half_years(first, until):
                try:
                    rate_of(kind, period)
                except MissingRateError:
                    missing.append((kind, period))
        return missing

    @api.model
    def _check_contract_rate(self, rate):
        """Refuse a contractual penalty rate below 3 x the legal interest rate of the current half-year, or of the
        latest half-year published while the current one is not. Each calculation checks again every half-year
        it covers."""
        if rate <= 0:
            raise ValidationError(self.env._("Enter the contractual penalty rate, in percent per year."))
        current = half_year_start(fields.Date.context_today(self))
        period = self._latest_legal_period(current)
        if not period:
            return
        try:
            contract_rate_checked(rate, partial(self._rate_table(), "legal_other"))(period)
        except RateBelowFloorError as error:
            message = self._rate_error(error).args[0]
            if period != current:
                message += " " + self.env._(
                    "(The legal rate of the %(current)s is not published yet: the latest one, of the %(used)s, "
                    "was used.)",
                    current=self._half_year_label(current),
                    used=self._half_year_label(period),
                )
            raise ValidationError(message) from None

    @api.model
    def _latest_legal_period(self, until):
        """The start of the latest half-year up to ``until`` whose legal interest rate (other cases) is known."""
        latest = self.sudo().search(
            [("kind", "=", "legal_other"), ("date_start", "<=", until)], order="date_start desc", limit=1
        )
        return latest.date_start or None

    @api.model
    def _half_year_label(self, period):
        if period.month == 1:
            return self.env._("first half of %(year)s", year=period.year)
        return self.env._("second half of %(year)s", year=period.year)

    @api.model
    def _missing_half_years_text(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        return "\n".join(
            self.env._("%(kind)s: %(half_year)s", kind=kinds[kind], half_year=self._half_year_label(period))
            for kind, period in self._missing_half_years()
        )

    @api.model
    def _rate_error(self, error):
        """A UserError telling the user what to fix for a rate error of the calculation."""
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        if isinstance(error, MissingRateError):
            return UserError(
                self.env._(
                    "No %(kind)s is known for the %(half_year)s: add it in Accounting > Configuration > "
                    "Collection > Rates (nothing is computed from a guessed rate).",
                    kind=kinds[error.kind],
                    half_year=self._half_year_label(error.period),
                )
            )
        if isinstance(error, RateBelowFloorError):
            return UserError(
                self.env._(
                    "The contractual penalty rate of %(rate)s %% is below the legal floor of %(floor)s %% "
                    "(3 × the legal interest rate) for the %(half_year)s.",
                    rate=formatLang(self.env, float(error.rate), digits=2),
                    floor=formatLang(self.env, float(error.floor), digits=2),
                    half_year=self._half_year_label(error.period),
                )
            )
        return error
