from odoo import http
from odoo.exceptions import ValidationError
from odoo.http import request

from odoo.addons.mail.controllers.attachment import AttachmentController


class RecouvrementAttachmentController(AttachmentController):
    """The files a debtor uploads in a dispute's chatter on the portal obey the dispute form's limits:
    their size, and their type read from their content."""

    @http.route()
    def mail_attachment_upload(self, ufile, thread_id, thread_model, is_pending=False, **kwargs):
        if thread_model == "recouvrement.dispute" and not request.env.user._is_internal():
            data = ufile.read()
            ufile.seek(0)
            try:
                request.env["recouvrement.portal"].sudo()._check_files([(ufile.filename or "", data)])
            except ValidationError as error:
                return request.make_json_response({"error": error.args[0]})
        return super().mail_attachment_upload(ufile, thread_id, thread_model, is_pending=is_pending, **kwargs)
