from collections import defaultdict

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import float_repr

from ..tools.evidence import checksum
from .recouvrement_action import STATE_TRANSITIONS

# What a user enters about a registered letter once sent: each change is tracked and sealed in the evidence chain,
# and a replaced acknowledgement scan is kept.
REGISTERED_FIELDS = {
    "registered_number",
    "registered_sent_date",
    "registered_ack_date",
    "registered_ack_scan",
    "registered_ack_scan_name",
    "registered_outcome",
}
# The only fields a user may write on an action (its note while it is proposed); everything else is written by the
# engine (as superuser).
USER_EDITABLE_FIELDS = {"note", *REGISTERED_FIELDS}
# The chatter fields a user may write on an action: its activities and followers, never its messages.
USER_THREAD_FIELDS = ("activity_", "message_follower_ids", "message_partner_ids", "message_is_follower")


class RecouvrementAction(models.Model):
    """Actions as evidence: they are created proposed, only their note and registered-letter details are written
    by hand, they are never deleted, and each executed one is sealed in its company's evidence chain."""

    _inherit = "recouvrement.action"

    # ------------------------------------------------------------------
    # Evidence: immutability
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(vals.get("state", "proposed") != "proposed" for vals in vals_list):
            raise UserError(self.env._("A collection action is always created proposed."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._check_user_write(vals)
        if "state" in vals:
            for action in self:
                if vals["state"] != action.state and vals["state"] not in STATE_TRANSITIONS[action.state]:
                    raise UserError(
                        self.env._(
                            "A collection action cannot go from “%(old)s” to “%(new)s”.",
                            old=action.state,
                            new=vals["state"],
                        )
                    )
        if "registered_ack_scan" in vals:
            self.env["ir.attachment"]._collection_keep_replaced(self, "registered_ack_scan")
        result = super(RecouvrementAction, self.with_context(collection_evidence=True)).write(vals)
        executed = self.filtered(lambda action: action.state not in ("proposed", "cancelled"))
        if "call_outcome" in vals:
            # the call's time and caller replace the execution's: the action is sealed again, with its call
            self.env["recouvrement.evidence"]._seal(executed, "action")
            self.env["recouvrement.evidence"]._seal(executed, "call")
        if REGISTERED_FIELDS & vals.keys():
            self.env["recouvrement.evidence"]._seal(
                executed.filtered(lambda action: action.channel == "registered_letter"), "acknowledgement"
            )
        return result

    def _check_user_write(self, vals):
        """What a user may write on actions: the note of a proposed one, the registered letter's details, the
        activities and followers. The rest, and the note once executed, is evidence."""
        frozen = {name for name in vals.keys() - USER_EDITABLE_FIELDS if not name.startswith(USER_THREAD_FIELDS)}
        if frozen:
            raise UserError(
                self.env._(
                    "A collection action is evidence: only its note and its registered-letter details can be "
                    "changed by hand (refused: %(fields)s).",
                    fields=", ".join(sorted(frozen)),
                )
            )
        if "note" in vals and self.filtered(lambda action: action.state != "proposed"):
            raise UserError(
                self.env._(
                    "The note of an executed collection action is part of the evidence: add a note in its chatter "
                    "instead."
                )
            )

    # ------------------------------------------------------------------
    # Evidence chain
    # ------------------------------------------------------------------

    def _evidence_names(self, kind):
        """{action: how its evidence link of ``kind`` reads}."""
        kinds = dict(self.env["recouvrement.evidence"]._fields["kind"]._description_selection(self.env))
        return {action: f"{kinds[kind]}: {action.display_name} ({action.date})" for action in self}

    def _evidence_content(self, kind):
        """{action: what its evidence link of ``kind`` seals}, JSON values: see the ``_evidence_content_*``."""
        return getattr(self, f"_evidence_content_{kind}")()

    def _evidence_content_action(self):
        """An executed action: the debtor, the step, the invoices with what they owed, the amounts, when and by
        whom, and the checksums of its email (body, subject, date, author, recipients, attachments), of its letter
        and of what the debtor wrote on the portal."""
        lines = defaultdict(list)
        for line in (
            self.env["recouvrement.action.line"]
            .sudo()
            .search_fetch(
                [("action_id", "in", self.ids)],
                ["action_id", "move_id", "date_due", "days_overdue", "amount_residual", "level_id", "excluded"],
                order="id",
            )
        ):
            digits = line.action_id.currency_id.decimal_places
            lines[line.action_id].append(
                [line.move_id.id, str(line.date_due), line.days_overdue, float_repr(line.amount_residual, digits),
                 line.level_id.id, line.excluded]
            )  # fmt: skip
        return {
            action: {
                "company": action.company_id.id,
                "partner": action.partner_id.id,
                "currency": action.currency_id.id,
                "level": action.level_id.id,
                "channel": action.channel,
                "date": str(action.date),
                "done": [str(action.done_date), action.done_user_id.id],
                "recipient": action.recipient_id.id,
                "fallback": action.email_fallback,
                "total": float_repr(action.amount_total, action.currency_id.decimal_places),
                "lines": lines[action],
                "email": action._evidence_email(),
                "letter": checksum(action.letter_attachment_id.raw),
                "portal": [action.portal_event, action.portal_ip, checksum(action.note)]
                if action.portal_event
                else None,
                # what a user wrote by hand (only when there is some: the links sealed before read the same)
                **action._evidence_follow_up(),
            }
            for action in self
        }

    def _evidence_follow_up(self):
        """{"follow_up": ...} of what a user prepared by hand for this action, or {} when nothing was."""
        self.ensure_one()
        if not (
            self.is_manual or self.custom_subject or self.custom_text or self.attach_invoices or self.attach_statement
        ):
            return {}
        return {
            "follow_up": [self.is_manual, self.custom_subject or None, checksum(self.custom_text or ""),
                          self.attach_invoices, self.attach_statement]
        }  # fmt: skip

    def _evidence_email(self):
        self.ensure_one()
        message = self.mail_message_id.sudo()
        if not message:
            return None
        return {
            "body": checksum(str(message.body or "")),
            "subject": message.subject,
            "date": str(message.date),
            "author": message.author_id.id,
            "recipients": sorted(message.partner_ids.ids),
            "attachments": sorted(checksum(attachment.raw) or "" for attachment in message.attachment_ids),
        }

    def _evidence_content_call(self):
        """A call logged: its outcome, its note, when and by whom, the promise it brought."""
        return {
            action: {
                "outcome": action.call_outcome,
                "note": checksum(str(action.note or "")),
                "done": [str(action.done_date), action.done_user_id.id],
                "promise": action.promise_id.id,
            }
            for action in self
        }

    def _evidence_content_acknowledgement(self):
        """A registered letter's details as entered: number, sending, receipt, outcome and the scan."""
        return {
            action: {
                "number": action.registered_number or None,
                "sent": str(action.registered_sent_date),
                "received": str(action.registered_ack_date),
                "outcome": action.registered_outcome or None,
                "scan": checksum(action.registered_ack_scan),
            }
            for action in self
        }

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Collection actions are evidence and cannot be deleted: cancel them instead."))

    def _seal_executed(self):
        """Seal these just executed actions in their company's evidence chain (and a registered letter's details)."""
        Evidence = self.env["recouvrement.evidence"]
        Evidence._seal(self.filtered(lambda action: action.state != "cancelled"), "action")
        Evidence._seal(self.filtered(lambda action: action.channel == "registered_letter"), "acknowledgement")
