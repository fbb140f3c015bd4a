"""Payment plan schedules: plain calculations, free of the ORM.

>>> [amount for _date, amount, _interest in build_schedule(1000, date(2026, 1, 10), count=3)]
[333.33, 333.33, 333.34]
>>> [day.isoformat() for day, _amount, _interest in build_schedule(300, date(2026, 1, 31), count=3)]
['2026-01-31', '2026-02-28', '2026-03-31']
"""

import calendar
import math
from datetime import date, timedelta
from fractions import Fraction

FREQUENCIES = ("weekly", "monthly", "quarterly")


class ScheduleError(ValueError):
    """The schedule asked for cannot be built; ``code`` says why (for a translated message)."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


def add_months(day, months, anchor_day=None):
    """``day`` moved by ``months``, keeping ``anchor_day`` (the first due date's day) when the month has it."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(anchor_day or day.day, calendar.monthrange(year, month)[1]))


def due_dates(first, count, frequency):
    """``count`` due dates from ``first``, every week, month or quarter."""
    if frequency not in FREQUENCIES:
        raise ScheduleError("frequency")
    if frequency == "weekly":
        return [first + timedelta(weeks=index) for index in range(count)]
    step = 1 if frequency == "monthly" else 3
    return [add_months(first, index * step, first.day) for index in range(count)]


def _units(amount, rounding):
    """An amount as a whole number of currency units of ``rounding`` (0.01: cents)."""
    return round(Fraction(str(amount)) / Fraction(str(rounding)))


def build_schedule(
    total, first, count=None, amount=None, frequency="monthly", annual_rate=0, rounding=0.01, start=None
):
    """The installments of a plan: [(due date, amount, interest included)].

    :param total: the amount to schedule (after any down payment), > 0
    :param first: due date of the first installment
    :param count: number of installments; or ``amount``: the installment amount wanted (the number follows)
    :param frequency: weekly, monthly or quarterly
    :param annual_rate: optional simple interest, in percent per year, on the balance still owed over each
        period (from ``start``, the plan's date, to the first due date, then from due date to due date),
        counted on a 365-day year
    :param rounding: the currency's rounding; each installment is a multiple of it, the principal is split
        in equal parts and the remainder goes on the last one, so that the principals sum exactly to ``total``

    >>> build_schedule(100.01, date(2026, 1, 5), count=7, frequency="weekly")[-1]
    (datetime.date(2026, 2, 16), 14.33, 0.0)
    >>> [amount for _d, amount, _i in build_schedule(1000, date(2026, 1, 10), amount=400)]
    [400.0, 400.0, 200.0]
    """
    total_units = _units(total, rounding)
    if total_units <= 0:
        raise ScheduleError("total")
    if amount is not None:
        step_units = _units(amount, rounding)
        if step_units <= 0:
            raise ScheduleError("amount")
        count = math.ceil(total_units / step_units)
        principals = [step_units] * (count - 1) + [total_units - step_units * (count - 1)]
    else:
        if not count or count <= 0:
            raise ScheduleError("count")
        if count > total_units:
            raise ScheduleError("count")
        base = total_units // count
        principals = [base] * (count - 1) + [total_units - base * (count - 1)]
    dates = due_dates(first, count, frequency)
    step = Fraction(str(rounding))
    schedule, balance, previous = [], total_units, start or first
    for day, principal in zip(dates, principals, strict=True):
        interest_units = 0
        if annual_rate:
            days = max((day - previous).days, 0)
            exact = balance * step * Fraction(str(annual_rate)) / 100 * days / 365
            interest_units = math.floor(exact / step + Fraction(1, 2))
        schedule.append((day, float((principal + interest_units) * step), float(interest_units * step)))
        balance -= principal
        previous = day
    return schedule
