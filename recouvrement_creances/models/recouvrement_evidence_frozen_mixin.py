from odoo import api, fields, models
from odoo.exceptions import UserError


class RecouvrementEvidenceFrozenMixin(models.AbstractModel):
    """Records that become collection evidence (a reminder's message, a letter's PDF...): flagged when the engine
    creates them under the ``collection_evidence`` context key, then frozen. Nobody but the engine (which runs as
    superuser) may change the ``_collection_frozen_fields`` of a frozen record, or delete it.

    A model inherits it *before* itself (``_inherit = ["recouvrement.evidence.frozen.mixin", "ir.attachment"]``),
    so that the refusal comes before the model's own ``write`` converts or stores anything."""

    _name = "recouvrement.evidence.frozen.mixin"
    _description = "Frozen Collection Evidence"
    _collection_frozen_fields = frozenset()

    collection_evidence = fields.Boolean(readonly=True, copy=False)

    @api.model_create_multi
    def create(self, vals_list):
        if self.env.context.get("collection_evidence"):
            for vals in vals_list:
                vals["collection_evidence"] = True
        return super().create(vals_list)

    def write(self, vals):
        if self._collection_frozen_fields & vals.keys():
            self._collection_check_frozen()
        return super().write(vals)

    def unlink(self):
        self._collection_check_frozen()
        return super().unlink()

    def _collection_frozen(self):
        """Those of these records that are collection evidence."""
        return self.filtered("collection_evidence")

    def _collection_frozen_message(self):
        """The refusal, in the user's language."""
        raise NotImplementedError

    def _collection_check_frozen(self):
        """Refuse, to anyone but the engine, to change or delete collection evidence."""
        if self.env.su:
            return
        if self.sudo()._collection_frozen():
            raise UserError(self._collection_frozen_message())
