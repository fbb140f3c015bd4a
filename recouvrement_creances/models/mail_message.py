from odoo import api, fields, models
from odoo.exceptions import UserError

# What a message says, to whom and when: frozen once the message is collection evidence.
FROZEN_MESSAGE_FIELDS = {
    "body",
    "subject",
    "date",
    "author_id",
    "author_guest_id",
    "email_from",
    "partner_ids",
    "attachment_ids",
    "message_type",
    "subtype_id",
    "tracking_value_ids",
    "collection_evidence",
}


class MailMessage(models.Model):
    _inherit = "mail.message"

    collection_evidence = fields.Boolean(
        readonly=True,
        copy=False,
        help="Written by the collection engine (a reminder, a log in a customer's or an invoice's chatter): "
        "nobody may change or delete it.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if self.env.context.get("collection_evidence"):
            for vals in vals_list:
                vals["collection_evidence"] = True
        return super().create(vals_list)

    def _collection_frozen(self):
        """Those of these messages that are collection evidence: flagged by the engine, or the emails and logs of
        a collection action (not the comments users add to its chatter)."""
        return self.filtered(
            lambda message: message.collection_evidence
            or (message.model == "recouvrement.action" and message.message_type != "comment")
        )

    def _collection_check_frozen(self):
        """Refuse, to anyone but the engine (which runs as superuser), to change collection evidence."""
        if self.env.su:
            return
        frozen = self.sudo()._collection_frozen()
        if frozen:
            raise UserError(
                self.env._(
                    "This message is collection evidence (a reminder or a collection log): it cannot be changed or "
                    "deleted. Add a note instead."
                )
            )

    def write(self, vals):
        if FROZEN_MESSAGE_FIELDS & vals.keys():
            self._collection_check_frozen()
        return super().write(vals)

    def unlink(self):
        self._collection_check_frozen()
        return super().unlink()
