from lxml import etree

from odoo import models

# context key: {cache key: compiled template} shared by the renderings of one batch of emails
BATCH_KEY = "collection_qweb_batch"


class IrQweb(models.AbstractModel):
    _inherit = "ir.qweb"

    def _compile(self, template):
        """Within a batch of collection emails (``collection_qweb_batch`` in the context), an inline template, such as
        a mail template's body parsed anew for each record, is compiled once for the whole batch: Odoo caches the
        compilation of views, not of inline templates."""
        batch = self.env.context.get(BATCH_KEY)
        if batch is None or not isinstance(template, etree._Element):
            return super()._compile(template)
        key = (
            etree.tostring(template),
            tuple(self.env.context.get(name) or False for name in self._get_template_cache_keys()),
        )
        if key not in batch:
            batch[key] = super()._compile(template)
        return batch[key]
