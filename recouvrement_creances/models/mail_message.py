from odoo import fields, models


class MailMessage(models.Model):
    _name = "mail.message"
    _inherit = ["recouvrement.evidence.frozen.mixin", "mail.message"]
    # what a message says, to whom and when
    _collection_frozen_fields = frozenset(
        {
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
    )

    collection_evidence = fields.Boolean(
        help="Written by the collection engine (a reminder, a log in a customer's or an invoice's chatter): "
        "nobody may change or delete it.",
    )

    def _collection_frozen(self):
        """Flagged by the engine, or the emails and logs of a collection action (not the comments users add to its
        chatter)."""
        return self.filtered(
            lambda message: message.collection_evidence
            or (message.model == "recouvrement.action" and message.message_type != "comment")
        )

    def _collection_frozen_message(self):
        return self.env._(
            "This message is collection evidence (a reminder or a collection log): it cannot be changed or deleted. "
            "Add a note instead."
        )
