from odoo import api, fields, models
from odoo.exceptions import ValidationError


class RecouvrementLevel(models.Model):
    _name = "recouvrement.level"
    _inherit = ["recouvrement.input.mixin"]
    _description = "Collection Level"
    _order = "policy_id, sequence, offset_days, id"
    _check_company_auto = True

    policy_id = fields.Many2one("recouvrement.policy", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="policy_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    offset_days = fields.Integer(
        string="Days after Due Date",
        required=True,
        aggregator=None,  # a delay, not a quantity: never summed in lists
        help="Days after the due date when this level applies; negative before the due date.",
    )
    channel_email = fields.Boolean(string="Email")
    channel_letter = fields.Boolean(string="Letter")
    channel_registered_letter = fields.Boolean(string="Registered Letter")
    channel_phone = fields.Boolean(string="Phone Call")
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        domain=[("model", "=", "recouvrement.action")],
    )
    activity_type_id = fields.Many2one("mail.activity.type")
    activity_user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        help="Who gets the phone call or letter activity when the debtor has no collector of its own.",
    )
    needs_validation = fields.Boolean(
        help="Actions of this level stay proposed until a manager executes them; the daily run does not.",
    )
    credit_hold = fields.Boolean(
        string="Credit Hold from this Level",
        help="A debtor that reached this level is put on credit hold.",
    )
    charge_penalties = fields.Boolean(
        string="Show Penalties",
        help="The emails and letters of this level show, per invoice, the penalties accrued and the indemnity.",
    )
    invoice_penalties = fields.Boolean(
        help="The actions of this level offer to invoice the penalties (Invoice the Penalties).",
    )
    letter_body = fields.Html(
        string="Letter Text",
        translate=True,
        help="The body of this level's letters, between the salutation and the table of invoices.",
    )
    notice_deadline_days = fields.Integer(
        string="Deadline (days)",
        default=8,
        help="Formal notice: days given to pay, from the acknowledgement of receipt.",
    )
    attach_statement = fields.Boolean(
        string="Attach the Statement",
        help="The emails of this level carry the debtor's statement of account as a PDF.",
    )
    escalation = fields.Selection(
        [("none", "None"), ("legal", "Legal Case"), ("agency", "Collection Agency")],
        default="none",
        required=True,
    )
    description = fields.Text(translate=True, help="What this step is for, shown to the collectors.")

    @api.constrains("sequence", "offset_days", "policy_id")
    def _check_offsets(self):
        self.policy_id._check_level_offsets()

    @api.constrains("channel_email", "channel_letter", "channel_registered_letter", "channel_phone", "escalation")
    def _check_channels(self):
        for level in self:
            if not level._get_channels():
                raise ValidationError(
                    self.env._("The level “%(level)s” needs at least one channel or an escalation.", level=level.name)
                )

    @api.constrains("channel_email", "mail_template_id")
    def _check_mail_template(self):
        for level in self:
            if level.channel_email and not level.mail_template_id:
                raise ValidationError(
                    self.env._("The level “%(level)s” sends an email: choose its email template.", level=level.name)
                )

    @api.constrains("mail_template_id")
    def _check_mail_template_model(self):
        for level in self.filtered("mail_template_id"):
            if level.mail_template_id.model != "recouvrement.action":
                raise ValidationError(
                    self.env._(
                        "The level “%(level)s” sends collection actions: its email template “%(template)s” is made for "
                        "another kind of document.",
                        level=level.name,
                        template=level.mail_template_id.name,
                    )
                )

    @api.model
    def _input_bounds(self):
        return {**super()._input_bounds(), "offset_days": (-3650, 3650), "notice_deadline_days": (0, 3650)}

    def write(self, vals):
        previous = self.policy_id if "policy_id" in vals else self.env["recouvrement.policy"]
        result = super().write(vals)
        (previous - self.policy_id)._check_levels_in_use()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_last_level_in_use(self):
        self.policy_id._check_levels_in_use(removed_levels=self)

    def _get_channels(self):
        """The channel codes of this level: each channel of the actions (an addon adds its own to their
        ``channel`` selection) that has its ``channel_<code>`` box ticked here, in the selection's order, then
        the escalation if any."""
        self.ensure_one()
        codes = self.env["recouvrement.action"]._fields["channel"].get_values(self.env)
        channels = [code for code in codes if f"channel_{code}" in self._fields and self[f"channel_{code}"]]
        return [*channels, "escalation"] if self.escalation != "none" else channels

    @api.depends("policy_id", "name", "offset_days")
    def _compute_display_name(self):
        for level in self:
            # with its policy: the levels of two policies share their names (dashboard, kanban, lists)
            level.display_name = self.env._(
                "%(name)s (%(offset)+d d) · %(policy)s",
                name=level.name or "",
                offset=level.offset_days or 0,
                policy=level.policy_id.name or "",
            )
