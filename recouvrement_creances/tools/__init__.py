from .amounts import action_totals, euros_in_words
from .levels import (
    AGED_COLUMNS,
    AGEING_BUCKETS,
    action_level,
    ageing_bucket,
    block_applies,
    days_between,
    next_level,
    reached_level,
)
from .prescription import prescription_date
