from odoo import api, fields, models


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

    @api.model
    def _collection_keep_replaced(self, records, field_name):
        """The files of ``records``' binary field ``field_name`` about to be replaced, kept beside them as evidence
        under a name that says so: a correction adds a document and never overwrites one."""
        files = self.sudo().search(
            [("res_model", "=", records._name), ("res_id", "in", records.ids), ("res_field", "=", field_name)]
        )
        for file in files:
            file.write(
                {
                    "res_field": False,
                    "name": self.env._(
                        "Replaced on %(date)s: %(name)s",
                        date=fields.Date.to_string(fields.Date.context_today(self)),
                        name=file.name,
                    ),
                    "collection_evidence": True,
                }
            )
