"""The payment behaviour score of a debtor, from its history: pure functions, no ORM.

The score starts at 100 and each factor takes points off, up to its own cap, so that every point of the
result can be explained to the customer or the salesperson.

>>> score, factors = payment_score({"days_late_avg": 0, "late_share": 0.0})
>>> score
100
>>> score, factors = payment_score(
...     {"days_late_avg": 40, "days_late_weighted": 50, "late_share": 0.8, "oldest_overdue_days": 95, "broken_plans": 1}
... )
>>> score
24
>>> [(f["key"], f["points"]) for f in factors if f["points"]]  # doctest: +NORMALIZE_WHITESPACE
[('days_late_avg', -15.0), ('days_late_weighted', -20.0), ('late_share', -16.0),
 ('oldest_overdue_days', -15.0), ('broken_plans', -10.0)]
"""

# (key, points taken off per unit, most points taken off): the factors of the score, in the order they are
# explained.
SCORE_FACTORS = (
    ("days_late_avg", 0.5, 15.0),  # average days late of the invoices due in the last 24 months
    ("days_late_weighted", 0.5, 20.0),  # the same, weighted by the amounts
    ("late_share", 20.0, 20.0),  # share (0..1) of those invoices paid late, or still unpaid past their due date
    ("overdue_months", 5.0, 10.0),  # the overdue amount today, in months of the debtor's average invoicing
    ("oldest_overdue_days", 1 / 6, 15.0),  # days overdue of the oldest unpaid invoice
    ("broken_promises", 5.0, 10.0),  # promises to pay broken in the last 24 months
    ("broken_plans", 10.0, 15.0),  # payment plans broken in the last 24 months
    ("disputes", 3.0, 6.0),  # invoices in dispute today
    ("cases", 20.0, 25.0),  # contentious cases opened in the last 24 months
)
SCORE_WINDOW_MONTHS = 24


def payment_score(inputs, factors=SCORE_FACTORS):
    """(score 0..100, explanation) of a debtor's ``inputs`` {factor key: value}; missing keys count as 0.

    The explanation lists every factor as {key, value, points}, points being what it took off (<= 0).
    """
    explanation = []
    for key, per_unit, cap in factors:
        value = inputs.get(key) or 0
        points = -round(min(cap, max(value, 0) * per_unit), 1)
        explanation.append({"key": key, "value": round(value, 2), "points": points + 0.0})
    score = round(100 + sum(factor["points"] for factor in explanation))
    return max(0, min(100, score)), explanation


def overdue_months(overdue, invoiced, months=SCORE_WINDOW_MONTHS):
    """The overdue amount in months of average invoicing over ``months`` (a debtor that owes an old debt and
    was not invoiced since counts as many months as the cap allows).

    >>> overdue_months(3000, 24000)
    3.0
    >>> overdue_months(0, 0)
    0.0
    >>> overdue_months(500, 0)
    99.0
    """
    if overdue <= 0:
        return 0.0
    if invoiced <= 0:
        return 99.0
    return round(overdue / (invoiced / months), 2)
