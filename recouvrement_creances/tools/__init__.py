from .amounts import action_totals
from .levels import block_applies, days_between, next_level, reached_level
