"""How the collection engine reads a failed email, free of the ORM.

A transient failure of the mail server (connection refused, timeout, an SMTP reply 4xx) is tried again with
back-off for more than a day; a bad address (invalid, missing, refused with 5.1.x, bounced) is final and the
next reminder goes by letter; anything else is final and the next reminder goes by email again.

>>> sum(RETRY_DELAYS) / 60 > 24
True
"""

import re

# Minutes to wait before each new attempt: 5 minutes, then longer and longer, 27 h 50 min in all.
RETRY_DELAYS = (5, 15, 30, 60, 120, 240, 480, 720)
ADDRESS_FAILURES = {"mail_email_invalid", "mail_email_missing", "mail_bounce", "mail_bl", "mail_optout"}
FINAL_FAILURES = {"mail_spam", "mail_dup"}
# the (code, message) pairs of smtplib's exceptions, as Odoo records them in the failure reason
SMTP_REPLY = re.compile(r"\((\d{3}), b?['\"](.*?)['\"]\)")
# enhanced status codes of a bad destination mailbox or address (RFC 3463, X.1.Y)
ADDRESS_STATUS = re.compile(r"\b5\.1\.\d{1,3}\b")


def failure_kind(failure_type, failure_reason):
    """'transient', 'address' or 'final' for a failed email.

    :param failure_type: the notification's or mail's ``failure_type`` (``mail_smtp``, ``unknown``, ...)
    :param failure_reason: the text Odoo recorded (the exception of the SMTP library, if any)

    >>> failure_kind("mail_smtp", "[Errno 111] Connection refused")
    'transient'
    >>> failure_kind("unknown", "SMTPRecipientsRefused: {'a@b.fr': (450, b'4.2.0 Mailbox busy')}")
    'transient'
    >>> failure_kind("unknown", "SMTPRecipientsRefused: {'a@b.fr': (550, b'5.1.1 User unknown')}")
    'address'
    >>> failure_kind("unknown", "SMTPDataError: (554, b'5.7.1 Message refused')")
    'final'
    >>> failure_kind("mail_email_invalid", False), failure_kind("mail_bounce", None)
    ('address', 'address')
    """
    if failure_type in ADDRESS_FAILURES:
        return "address"
    if failure_type in FINAL_FAILURES:
        return "final"
    replies = SMTP_REPLY.findall(failure_reason or "")
    permanent = [(code, text) for code, text in replies if code.startswith("5")]
    if permanent:
        refused = "Recipients" in failure_reason  # the server refused the recipient itself
        if any(ADDRESS_STATUS.search(text) or (refused and code in ("550", "551", "553")) for code, text in permanent):
            return "address"
        return "final"
    return "transient"


def retry_delay(attempts):
    """Minutes to wait before the next attempt after ``attempts`` new attempts already, or None when they are
    exhausted.

    >>> retry_delay(0), retry_delay(7), retry_delay(8)
    (5, 720, None)
    """
    return RETRY_DELAYS[attempts] if attempts < len(RETRY_DELAYS) else None
