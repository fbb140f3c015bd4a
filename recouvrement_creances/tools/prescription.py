"""Prescription of a claim: the date after which the creditor can no longer sue for it.

A professional's claim against a business is prescribed after 5 years (Code de commerce L110-4), against a
consumer after 2 years (Code de la consommation L218-2), from the due date. An acknowledgement of the debt
(a signed payment plan, a partial payment) or a court claim interrupts it: a new period of the same length
starts (Code civil 2231, 2240, 2241).

>>> from datetime import date
>>> prescription_date(date(2026, 3, 2), b2b=True)
datetime.date(2031, 3, 2)
>>> prescription_date(date(2026, 3, 2), b2b=False, interruptions=[date(2026, 9, 1), None])
datetime.date(2028, 9, 1)
>>> prescription_date(date(2024, 2, 29), b2b=False)
datetime.date(2026, 2, 28)
>>> prescription_date(date(2026, 3, 2), b2b=False, interruptions=[date(2027, 5, 3)], years=10)
datetime.date(2037, 5, 3)
"""

from .schedule import add_months

PRESCRIPTION_YEARS = {True: 5, False: 2}


def prescription_date(due, b2b, interruptions=(), years=None):
    """The day the claim due on ``due`` is prescribed, after the latest of its ``interruptions`` (dates).

    :param years: another period, e.g. the 10 years to enforce an enforceable title (CPCE L111-4)
    """
    start = max([due, *filter(None, interruptions)])
    return add_months(start, 12 * (years or PRESCRIPTION_YEARS[bool(b2b)]))
