from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import sms_length

MAX_SMS_PARTS = 3
# what an SMS text may name, filled in for each debtor
SMS_FIELDS = ("{company}", "{amount}", "{invoices}", "{link}")


class RecouvrementLevel(models.Model):
    _inherit = "recouvrement.level"

    channel_sms = fields.Boolean(string="SMS")
    sms_text = fields.Text(
        string="SMS Text",
        translate=True,
        help="Sent to the customer's mobile. It may name {company}, {amount} (what is overdue), {invoices} (how "
        "many) and {link} (the debtor's page).",
    )
    sms_length = fields.Char(string="SMS Length", compute="_compute_sms_length")

    @api.depends("sms_text")
    @api.depends_context("lang")
    def _compute_sms_length(self):
        for level in self:
            characters, parts = sms_length(level.sms_text or "")
            level.sms_length = self.env._(
                "%(characters)s characters, %(parts)s SMS", characters=characters, parts=parts
            )

    @api.constrains("channel_sms", "sms_text")
    def _check_sms_text(self):
        for level in self.filtered("channel_sms"):
            if not (level.sms_text or "").strip():
                raise ValidationError(self.env._("The level “%s” sends an SMS: write its text.", level.name))
            characters, parts = sms_length(level.sms_text)
            if parts > MAX_SMS_PARTS:
                raise ValidationError(
                    self.env._(
                        "The SMS text of the level “%(level)s” is %(characters)s characters long, %(parts)s SMS: "
                        "keep it within %(max)s SMS.",
                        level=level.name,
                        characters=characters,
                        parts=parts,
                        max=MAX_SMS_PARTS,
                    )
                )
