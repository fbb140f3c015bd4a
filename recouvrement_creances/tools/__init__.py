from .amounts import action_totals
from .levels import block_applies, days_between, reached_level
