import base64

from odoo import fields, models
from odoo.exceptions import UserError


class RecouvrementInsolvencyImportWizard(models.TransientModel):
    """Import a file of BODACC announcements (JSON or CSV export of the BODACC's open data)."""

    _name = "recouvrement.insolvency.import.wizard"
    _description = "Import BODACC Announcements"

    file = fields.Binary(required=True)
    file_name = fields.Char()

    def action_import(self):
        self.ensure_one()
        if not self.file:
            raise UserError(self.env._("Choose the file to import."))
        announcements = self.env["recouvrement.insolvency.announcement"]
        result = announcements._import_content(base64.b64decode(self.file), "file")
        return announcements._import_result_action(result)
