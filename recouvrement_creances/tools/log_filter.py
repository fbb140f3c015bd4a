"""The server log never holds a debtor's access token: a token in a logged URL opens that debtor's page."""

import logging

from .text import mask_tokens

# the loggers that write request URLs: werkzeug's request log, and Odoo's HTTP layer
MASKED_LOGGERS = ("werkzeug", "odoo.http")


class TokenMaskFilter(logging.Filter):
    """Replaces the access tokens of a record's message and arguments by ``***``."""

    def filter(self, record):
        if isinstance(record.msg, str):
            record.msg = mask_tokens(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(mask_tokens(arg) if isinstance(arg, str) else arg for arg in record.args)
        return True


def install_token_mask():
    """Add the filter to the loggers of MASKED_LOGGERS, once per process."""
    for name in MASKED_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(existing, TokenMaskFilter) for existing in logger.filters):
            logger.addFilter(TokenMaskFilter())
