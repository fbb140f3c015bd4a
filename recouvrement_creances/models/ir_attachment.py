from odoo import api, fields, models
from odoo.exceptions import UserError

# What a file is and where it belongs: frozen once the file is collection evidence.
FROZEN_ATTACHMENT_FIELDS = {
    "name",
    "datas",
    "raw",
    "db_datas",
    "store_fname",
    "url",
    "type",
    "mimetype",
    "checksum",
    "res_model",
    "res_id",
    "res_field",
    "collection_evidence",
}


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    collection_evidence = fields.Boolean(
        readonly=True,
        copy=False,
        help="A letter as sent, a statement joined to a reminder, a signed agreement, an acknowledgement of receipt: "
        "nobody may change or delete it.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if self.env.context.get("collection_evidence"):
            for vals in vals_list:
                vals["collection_evidence"] = True
        return super().create(vals_list)

    def _collection_check_frozen(self):
        """Refuse, to anyone but the engine (which runs as superuser), to change or delete collection evidence."""
        if self.env.su:
            return
        if self.sudo().filtered("collection_evidence"):
            raise UserError(
                self.env._(
                    "This document is collection evidence (a letter as sent, a signed agreement, an acknowledgement "
                    "of receipt): it cannot be changed, moved or deleted. Add a new document instead."
                )
            )

    def write(self, vals):
        if FROZEN_ATTACHMENT_FIELDS & vals.keys():
            self._collection_check_frozen()
        return super().write(vals)

    def unlink(self):
        self._collection_check_frozen()
        return super().unlink()
