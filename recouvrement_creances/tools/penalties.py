"""Late-payment penalties and legal interest: plain calculations, free of the ORM.

Simple interest, day by day. A debt due on day D bears interest from D + 1 to the end date, both
included. Each day bears the amount still unpaid that day times the annual rate of the day's half-year,
divided by the year basis. A payment dated P is what was owed up to P included: it lowers the base from
P + 1 on (the days of delay of an amount paid on P are P - D). Everything is exact (fractions) until
the end, where the total is rounded once.

>>> from datetime import date
>>> rates = {date(2026, 1, 1): Fraction("12.15"), date(2026, 7, 1): Fraction("12.40")}
>>> segments = interest_segments(1000, date(2026, 5, 31), date(2026, 7, 30), [], rates.__getitem__)
>>> [(s.date_from.isoformat(), s.days, s.rate) for s in segments]
[('2026-06-01', 30, Fraction(243, 20)), ('2026-07-01', 30, Fraction(62, 5))]
>>> round_amount(sum(s.amount for s in segments), 0.01)  # 1000 x (12.15 % x 30 + 12.40 % x 30) / 365
20.18
"""

import calendar
import math
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from itertools import pairwise

DAY = timedelta(days=1)


class MissingRateError(Exception):
    """No published rate of ``kind`` is known for the half-year starting on ``period``."""

    def __init__(self, kind, period):
        super().__init__(kind, period)
        self.kind = kind
        self.period = period


class RateBelowFloorError(Exception):
    """A contractual ``rate`` is below ``floor`` (3 x the legal rate) in the half-year starting on ``period``."""

    def __init__(self, rate, floor, period):
        super().__init__(rate, floor, period)
        self.rate = rate
        self.floor = floor
        self.period = period


def half_year_start(day):
    """1 January or 1 July of the half-year of ``day``."""
    return date(day.year, 1 if day.month <= 6 else 7, 1)


def next_half_year(start):
    return date(start.year, 7, 1) if start.month == 1 else date(start.year + 1, 1, 1)


def half_years(first, last):
    """Starts of the half-years from the one of ``first`` to the one of ``last``, both included."""
    starts, start = [], half_year_start(first)
    while start <= last:
        starts.append(start)
        start = next_half_year(start)
    return starts


def as_fraction(value):
    """An exact fraction of a float as it prints (0.1 is 1/10, not the binary float)."""
    return value if isinstance(value, Fraction) else Fraction(str(value))


@dataclass(frozen=True)
class Segment:
    """Days ``date_from`` to ``date_to`` (included) of one half-year bearing interest on the same base."""

    date_from: date
    date_to: date
    base: Fraction
    rate: Fraction  # annual, in percent
    year_days: int

    @property
    def days(self):
        return (self.date_to - self.date_from).days + 1

    @property
    def amount(self):
        return self.base * self.rate / 100 * self.days / self.year_days


def interest_segments(amount, start, end, payments, rate_of, basis="365"):
    """The segments of interest on ``amount`` owed after ``start``, up to ``end`` included.

    :param amount: what was owed on ``start`` before the payments below
    :param start: interest runs from the day after it (the due date, or the date of the formal notice)
    :param end: last day of interest (included)
    :param payments: iterable of ``(date, amount)``; a payment lowers the base from the day after its date
    :param rate_of: ``rate_of(half_year_start)``: the annual rate in percent of that half-year; it may raise
        :class:`MissingRateError`, and is only asked for half-years in which something is owed
    :param basis: ``"365"`` (every day is 1/365 of a year) or ``"actual"`` (a day of a leap year is 1/366)
    :return: list of :class:`Segment`, in date order; the days on which nothing is owed are left out
    """
    if end <= start:
        return []
    payments = sorted((day, as_fraction(paid)) for day, paid in payments)
    cuts = {start, end}
    cuts.update(day for day, _paid in payments if start < day < end)
    cuts.update(boundary - DAY for boundary in half_years(start + DAY, end)[1:])
    segments = []
    for previous, last in pairwise(sorted(cuts)):
        base = as_fraction(amount) - sum(paid for day, paid in payments if day <= previous)
        if base <= 0:
            continue
        first = previous + DAY
        year_days = 366 if basis == "actual" and calendar.isleap(first.year) else 365
        segments.append(Segment(first, last, base, as_fraction(rate_of(half_year_start(first))), year_days))
    return segments


def uncovered_periods(start, end, covered):
    """The periods after ``start`` up to ``end`` outside the day ranges ``covered``, as ``(after, until)``
    pairs (the days after ``after`` up to ``until`` included), ready for :func:`interest_segments`.

    >>> d = lambda day: date(2026, 3, day)
    >>> uncovered_periods(d(1), d(31), [(d(11), d(20))]) == [(d(1), d(10)), (d(20), d(31))]
    True
    """
    periods, cursor = [], start
    for first, last in sorted(covered):
        if first - DAY > cursor:
            periods.append((cursor, min(first - DAY, end)))
        cursor = max(cursor, last)
    if cursor < end:
        periods.append((cursor, end))
    return [(after, until) for after, until in periods if until > after]


def was_late(amount, start, end, payments):
    """Whether anything of ``amount`` was still owed on a day after ``start`` up to ``end``."""
    if end <= start:
        return False
    return as_fraction(amount) - sum(as_fraction(paid) for day, paid in payments if day <= start) > 0


def contract_rate_checked(rate, legal_rate_of):
    """``rate_of`` for a contractual ``rate``: refused in a half-year where it is below 3 x the legal rate
    (Code de commerce L441-10 II).

    >>> rate_of = contract_rate_checked(Fraction(8), {date(2026, 1, 1): Fraction("2.62")}.__getitem__)
    >>> rate_of(date(2026, 1, 1))
    Fraction(8, 1)
    """
    rate = as_fraction(rate)

    def rate_of(period):
        floor = 3 * as_fraction(legal_rate_of(period))
        if rate < floor:
            raise RateBelowFloorError(rate, floor, period)
        return rate

    return rate_of


def round_amount(value, rounding):
    """``value`` rounded half up to a multiple of ``rounding`` (a currency's rounding, e.g. 0.01), as a float.

    >>> round_amount(Fraction(1005, 1000), 0.01), round_amount(Fraction(1, 3), 0.05)
    (1.01, 0.35)
    """
    step = as_fraction(rounding)
    return float(math.floor(value / step + Fraction(1, 2)) * step)
