from odoo import models
from odoo.exceptions import UserError


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _message_update_content(self, message, /, **kwargs):
        # the chatter's edit and delete go through here as superuser: collection evidence is refused first
        if message._collection_frozen():
            raise UserError(
                self.env._(
                    "This message is collection evidence (a reminder or a collection log): it cannot be changed or "
                    "deleted. Add a note instead."
                )
            )
        return super()._message_update_content(message, **kwargs)
