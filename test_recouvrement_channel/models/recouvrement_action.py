from odoo import fields, models


class RecouvrementAction(models.Model):
    _inherit = "recouvrement.action"

    channel = fields.Selection(
        selection_add=[("fax", "Fax")],
        ondelete={"fax": lambda actions: actions.sudo().write({"channel": "letter"})},
    )
    fax_sent = fields.Boolean(readonly=True)

    def _execute_fax(self):
        self.write({"fax_sent": True})
