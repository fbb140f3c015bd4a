"""Collection indicators: pure functions, no ORM.

DSO by the countback method: the receivables at the end of a month are matched against the sales of that
month, then of the months before, until they are used up; each month fully used counts all its days, the
last one the share of its days that the remaining receivables represent.

>>> from datetime import date
>>> # 30 000 owed at the end of March; sales: March 20 000, February 14 000
>>> dso_countback(30000, [(date(2026, 3, 1), 20000), (date(2026, 2, 1), 14000)])
51.0

The collection effectiveness index (CEI) of a month: what was collected of what could be, in %.

>>> cei(opening=50000, sales=30000, closing=40000, closing_current=25000)
72.73

Months from one month to the month of a day, to bin dates by month:

>>> months_between(date(2025, 12, 1), date(2026, 11, 23)), months_between(date(2025, 12, 1), date(2025, 11, 30))
(11, -1)
"""

import calendar


def months_between(month_start, day):
    """The number of months from the month of ``month_start`` to the month of ``day`` (negative before)."""
    return (day.year - month_start.year) * 12 + day.month - month_start.month


def month_days(month_start):
    return calendar.monthrange(month_start.year, month_start.month)[1]


def dso_countback(receivable, monthly_sales):
    """Days of sales outstanding of ``receivable``, given ``monthly_sales`` [(first day of the month, sales)]
    from the latest month backwards. When the receivables exceed every month given, all their days count."""
    remaining, days = receivable, 0.0
    for month, sales in monthly_sales:
        if remaining <= 0:
            break
        if sales > 0 and remaining <= sales:
            days += month_days(month) * remaining / sales
            remaining = 0
        else:
            days += month_days(month)
            remaining -= max(sales, 0)
    return round(days, 1)


def cei(opening, sales, closing, closing_current):
    """Collection effectiveness index: (opening + sales - closing) / (opening + sales - closing not yet due),
    in %; None when nothing was collectable."""
    collectable = opening + sales - closing_current
    if collectable <= 0:
        return None
    return round(100 * (opening + sales - closing) / collectable, 2)
