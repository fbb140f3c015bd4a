from .levels import reached_level, days_between
