from odoo import api, fields, models


class RecouvrementFollowUpWizard(models.TransientModel):
    _inherit = "recouvrement.follow.up.wizard"

    send_sms = fields.Boolean(string="SMS")
    sms_number = fields.Char(string="Mobile", readonly=True)
    preview_sms = fields.Text(string="SMS Preview", readonly=True)

    @api.model
    def _previewable_channels(self):
        return [*super()._previewable_channels(), "sms"]

    @api.model
    def _values_for_partner(self, partner):
        values = super()._values_for_partner(partner)
        return {**values, "send_sms": self.env["recouvrement.level"].browse(values["level_id"]).channel_sms}

    @api.model
    def _values_for_action(self, action):
        return {**super()._values_for_action(action), "send_sms": action.channel == "sms"}

    def _other_channels(self):
        return [*super()._other_channels(), *(["sms"] if self.send_sms else [])]

    def _render(self, actions):
        values = super()._render(actions)
        sms = actions.filtered(lambda action: action.channel == "sms")[:1]
        values.update(
            preview_sms=sms._sms_body() if sms else False,
            sms_number=sms._sms_recipient_number() if sms else False,
        )
        return values
