"""Words typed by someone outside the company (a debtor on the portal), shown to the company's users as
they were typed: text, never markup."""

import re

from markupsafe import Markup

# an access token in a URL: the query parameter, or the last segment of the signature route
TOKEN_IN_URL = re.compile(r"(access_token=|/sign/)[^&\s\"'#?]+")


def text_as_html(text):
    """``text`` as HTML that shows it as typed: every character escaped, line breaks kept, nothing else
    (no link, no image).

    >>> str(text_as_html('Payé <img src="https://x.example/t.png">\\nvoir https://x.example'))
    '<p>Payé &lt;img src=&#34;https://x.example/t.png&#34;&gt;<br/>voir https://x.example</p>'
    >>> str(text_as_html(None))
    '<p></p>'
    """
    return Markup("<p>%s</p>") % Markup("<br/>").join((text or "").splitlines())


def mask_tokens(text):
    """``text`` with every access token of a URL replaced by ``***``.

    >>> mask_tokens('"GET /my/recouvrement/pay?access_token=Ab-3_x&selection=all HTTP/1.1" 200')
    '"GET /my/recouvrement/pay?access_token=***&selection=all HTTP/1.1" 200'
    >>> mask_tokens("POST /my/recouvrement/plan/7/sign/Zz9-_q HTTP/1.1")
    'POST /my/recouvrement/plan/7/sign/*** HTTP/1.1'
    """
    return TOKEN_IN_URL.sub(r"\1***", text)
