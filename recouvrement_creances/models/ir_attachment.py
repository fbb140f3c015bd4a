from odoo import fields, models


class IrAttachment(models.Model):
    _name = "ir.attachment"
    _inherit = ["recouvrement.evidence.frozen.mixin", "ir.attachment"]
    # what a file is and where it belongs
    _collection_frozen_fields = frozenset(
        {
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
    )

    collection_evidence = fields.Boolean(
        help="A letter as sent, a statement joined to a reminder, a signed agreement, an acknowledgement of receipt: "
        "nobody may change or delete it.",
    )

    def _collection_frozen_message(self):
        return self.env._(
            "This document is collection evidence (a letter as sent, a signed agreement, an acknowledgement of "
            "receipt): it cannot be changed, moved or deleted. Add a new document instead."
        )
