from odoo import models
from odoo.http import request

# the debtor's pages: served under this path
PORTAL_PATH = "/my/recouvrement"


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _post_dispatch(cls, response):
        result = super()._post_dispatch(response)
        if request.httprequest.path.startswith(PORTAL_PATH):
            cls._recouvrement_secure_headers(response)
        return result

    @classmethod
    def _recouvrement_secure_headers(cls, response):
        """A debtor's page carries its access token in its URL: it never leaks it to another site
        (no referrer) and no other site may show it in a frame."""
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Content-Security-Policy"] = "frame-ancestors 'none'"
