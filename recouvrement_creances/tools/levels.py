"""Plain calculations of the dunning engine: which level an invoice has reached on a date.

Kept free of the ORM so that they can be tested directly and reused by the models.

>>> reached_level([(-14, 'courtesy'), (0, 'due'), (14, 'first')], days_overdue=20, current_offset=None)
'first'
>>> reached_level([(-14, 'courtesy'), (0, 'due'), (14, 'first')], days_overdue=20, current_offset=14) is None
True
>>> reached_level([(-14, 'courtesy'), (0, 'due')], days_overdue=-20, current_offset=None) is None
True
"""


def days_between(due_date, on_date):
    """Days from ``due_date`` to ``on_date``: positive when overdue, negative before the due date."""
    return (on_date - due_date).days


def reached_level(levels, days_overdue, current_offset):
    """The level an invoice should get now, or None.

    :param levels: iterable of ``(offset_days, level)``, any order
    :param days_overdue: days since the due date (negative before it)
    :param current_offset: offset of the level the invoice already had, or None
    :return: the highest level whose offset is passed, when it is above the current one. Levels
        skipped by a late-posted invoice are not returned one by one: only the highest is.
    """
    passed = [(offset, level) for offset, level in levels if offset <= days_overdue]
    if not passed:
        return None
    offset, level = max(passed, key=lambda pair: pair[0])
    if current_offset is not None and offset <= current_offset:
        return None
    return level


def action_level(levels, new_offsets, overdue_offsets):
    """The level a debtor's action reads at, or None when no invoice newly reached a level.

    :param levels: iterable of ``(offset_days, level)``, any order
    :param new_offsets: offsets of the levels newly reached by the invoices listed
    :param overdue_offsets: for each overdue invoice listed, the offset of its level, newly reached or already had
        (None: none yet)
    :return: the policy's highest level at or below the highest of these offsets: never milder than what an
        overdue invoice it lists already had.

    >>> levels = [(-14, 'courtesy'), (0, 'due'), (14, 'first'), (30, 'second')]
    >>> action_level(levels, new_offsets=[14], overdue_offsets=[14, 30])
    'second'
    >>> action_level(levels, new_offsets=[-14], overdue_offsets=[]), action_level(levels, [], [30]) is None
    ('courtesy', True)
    """
    if not new_offsets:
        return None
    top = max([*new_offsets, *(offset for offset in overdue_offsets if offset is not None)])
    return reached_level(levels, top, None)


def next_level(levels, current_offset):
    """The first level above ``current_offset`` (None: the invoice has had no level yet), or None.

    :param levels: iterable of ``(offset_days, level)``, any order

    >>> next_level([(14, 'first'), (-14, 'courtesy'), (0, 'due')], current_offset=0)
    (14, 'first')
    >>> next_level([(-14, 'courtesy'), (0, 'due')], current_offset=0) is None
    True
    """
    above = [pair for pair in levels if current_offset is None or pair[0] > current_offset]
    return min(above, key=lambda pair: pair[0], default=None)


# The ageing columns of the aged balance: (key, first and last day overdue; None: open-ended).
AGED_COLUMNS = (
    ("not_due", None, 0),
    ("1_30", 1, 30),
    ("31_60", 31, 60),
    ("61_90", 61, 90),
    ("91_180", 91, 180),
    ("over_180", 181, None),
)
# The statement of account shows the same columns up to 90 days overdue, and one column for all the older items.
AGEING_BUCKETS = (*(key for key, _first, last in AGED_COLUMNS if last is not None and last <= 90), "over_90")


def aged_column(days_overdue):
    """The column of the aged balance of an item ``days_overdue`` days past its due date (0 or less: not due).

    >>> [aged_column(days) for days in (-5, 0, 1, 30, 31, 90, 91, 180, 181)]
    ['not_due', 'not_due', '1_30', '1_30', '31_60', '61_90', '91_180', '91_180', 'over_180']
    """
    return next(
        key
        for key, first, last in AGED_COLUMNS
        if (first is None or days_overdue >= first) and (last is None or days_overdue <= last)
    )


def ageing_bucket(days_overdue):
    """The column of the statement of account of an item ``days_overdue`` days past its due date (0 or less: not
    due).

    >>> AGEING_BUCKETS
    ('not_due', '1_30', '31_60', '61_90', 'over_90')
    >>> [ageing_bucket(days) for days in (0, 1, 30, 31, 61, 91)]
    ['not_due', '1_30', '1_30', '31_60', '61_90', 'over_90']
    """
    column = aged_column(days_overdue)
    return column if column in AGEING_BUCKETS else "over_90"


def block_applies(blocked, until, on_date):
    """Whether a block (a dispute, a customer put on hold) set with an optional end date ``until``
    (included) still applies on ``on_date``.

    >>> from datetime import date
    >>> block_applies(True, None, date(2026, 3, 2)), block_applies(True, date(2026, 3, 1), date(2026, 3, 2))
    (True, False)
    """
    return bool(blocked) and (not until or until >= on_date)
