import time
from datetime import timedelta

from werkzeug.exceptions import TooManyRequests

from odoo import api, fields, models
from odoo.tools import SQL


class RecouvrementPortalThrottle(models.Model):
    """Failed token attempts on the debtor portal, by network address, shared by every server worker:
    past a few failures in a window the answers are slowed, past more they are refused (429) until the
    window ends, the way Odoo slows repeated failed logins."""

    _name = "recouvrement.portal.throttle"
    _description = "Debtor Portal Failed Attempts"
    _rec_name = "address"

    address = fields.Char(required=True, readonly=True)
    failures = fields.Integer(readonly=True)
    window_start = fields.Datetime(required=True, readonly=True)

    _address_unique = models.UniqueIndex("(address)")

    @api.model
    def _limits(self):
        """(failures before the answers slow down, failures before they are refused, the window, the delay
        in seconds of a slowed answer)."""
        return 5, 10, timedelta(minutes=15), 1.0

    @api.model
    def _failures(self, address):
        """The failures of ``address`` in the current window."""
        _slow_after, _block_after, window, _delay = self._limits()
        rows = self.env.execute_query(
            SQL(
                "SELECT failures FROM recouvrement_portal_throttle WHERE address = %s AND window_start > %s",
                address,
                fields.Datetime.now() - window,
            )
        )
        return rows[0][0] if rows else 0

    @api.model
    def _check_address(self, address):
        """Refuse (429) any token from ``address`` while it is over the limit."""
        _slow_after, block_after, window, _delay = self._limits()
        if self._failures(address) >= block_after:
            raise TooManyRequests(retry_after=int(window.total_seconds()))

    @api.model
    def _record_failure(self, address):
        """Count a failed attempt of ``address`` (a new window when the last one is over), commit it so that
        the 404 that follows cannot roll it back, then slow the answer when the address is over the first
        limit. Returns the failures of the window."""
        slow_after, _block_after, window, delay = self._limits()
        now = fields.Datetime.now()
        [[failures]] = self.env.execute_query(
            SQL(
                """
                INSERT INTO recouvrement_portal_throttle (address, failures, window_start, create_date, write_date)
                VALUES (%(address)s, 1, %(now)s, %(now)s, %(now)s)
                ON CONFLICT (address) DO UPDATE SET
                    failures = CASE WHEN recouvrement_portal_throttle.window_start > %(start)s
                                    THEN recouvrement_portal_throttle.failures + 1 ELSE 1 END,
                    window_start = CASE WHEN recouvrement_portal_throttle.window_start > %(start)s
                                        THEN recouvrement_portal_throttle.window_start ELSE %(now)s END,
                    write_date = %(now)s
                RETURNING failures
                """,
                address=address,
                now=now,
                start=now - window,
            )
        )
        self.env.cr.commit()  # pylint: disable=invalid-commit
        if failures > slow_after:
            time.sleep(delay)
        return failures

    @api.autovacuum
    def _gc_old_windows(self):
        _slow_after, _block_after, window, _delay = self._limits()
        self.env.cr.execute(
            SQL("DELETE FROM recouvrement_portal_throttle WHERE window_start < %s", fields.Datetime.now() - window)
        )
