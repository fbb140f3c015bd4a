from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_repr, format_date

from ..tools.evidence import checksum

# The signature of a plan, written once: by the portal when the debtor signs online, or by a collector who enters
# the date and the scan of an agreement signed on paper.
SIGNATURE_FIELDS = {"signed_by", "signed_on", "signed_ip", "signature", "signed_date", "signed_document"}
USER_SIGNATURE_FIELDS = {"signed_date", "signed_document", "signed_document_name"}


class RecouvrementPaymentPlan(models.Model):
    """The signature of a plan as evidence (an acknowledgement of the debt): written once, sealed in the evidence
    chain; and what a user may write on a plan: never its state, its schedule only while it is a draft or proposed."""

    _inherit = "recouvrement.payment.plan"

    signed_date = fields.Date(
        string="Signed on",
        tracking=True,
        help="The signed plan is an acknowledgement of the debt: it interrupts prescription (Code civil 2240).",
    )
    signed_document = fields.Binary(string="Signed Agreement", attachment=True)
    signed_document_name = fields.Char()
    signed_by = fields.Char(string="Signed by", readonly=True, copy=False)
    signed_on = fields.Datetime(string="Signature Time", readonly=True, copy=False)
    signed_ip = fields.Char(string="Signature IP Address", readonly=True, copy=False)
    signature = fields.Image(max_width=1024, max_height=1024, readonly=True, copy=False)

    @api.constrains("signed_date")
    def _check_signed_date(self):
        today = fields.Date.context_today(self)
        for plan in self.filtered(lambda plan: plan.signed_date and plan.signed_date > today):
            raise ValidationError(
                self.env._(
                    "%(record)s: a plan cannot be signed in the future (%(date)s).",
                    record=plan._input_record_label(),
                    date=format_date(self.env, plan.signed_date),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(
            vals.get("state", "draft") not in ("draft", "proposed")
            or (SIGNATURE_FIELDS - USER_SIGNATURE_FIELDS) & vals.keys()
            for vals in vals_list
        ):
            raise UserError(
                self.env._(
                    "A payment plan is created as a draft or proposed, unsigned: it is signed and activated after."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._check_user_write(vals)
        # the agreement as signed is evidence
        plans = self.with_context(collection_evidence=True) if "signed_document" in vals else self
        result = super(RecouvrementPaymentPlan, plans).write(vals)
        if SIGNATURE_FIELDS & vals.keys():
            self.env["recouvrement.evidence"]._seal(self.filtered("signed_date"), "agreement")
        return result

    def _check_user_write(self, vals):
        """A plan's state moves through its actions only, and its signature, once given, is evidence."""
        if "state" in vals:
            raise UserError(
                self.env._(
                    "A payment plan moves only through its buttons (propose, activate, cancel, renegotiate): its "
                    "status cannot be written by hand."
                )
            )
        given = [name for name in SIGNATURE_FIELDS & vals.keys() if any(self.mapped(name))]
        if given or (SIGNATURE_FIELDS - USER_SIGNATURE_FIELDS) & vals.keys():
            raise UserError(
                self.env._(
                    "The signature of a payment plan is evidence (an acknowledgement of the debt): it cannot be "
                    "rewritten or removed."
                )
            )
        self._check_schedule_write(vals)

    # ------------------------------------------------------------------
    # Evidence chain
    # ------------------------------------------------------------------

    def _evidence_names(self, kind):
        """{plan: how its evidence link reads}."""
        return {plan: self.env._("Signed agreement: %(plan)s", plan=plan.display_name) for plan in self}

    def _evidence_content(self, kind):
        """{plan: what its signed agreement seals}: the debtor, the invoices, the schedule, who signed, when, from
        where, and the checksums of the signature and of the agreement as signed."""
        digits = {plan: plan.currency_id.decimal_places for plan in self}
        return {
            plan: {
                "company": plan.company_id.id,
                "partner": plan.partner_id.id,
                "invoices": sorted(plan.move_ids.ids),
                "schedule": [
                    [str(line.date_due), float_repr(line.amount, digits[plan]), float_repr(line.interest, digits[plan])]
                    for line in plan.line_ids.sorted(lambda line: (line.date_due, line.id))
                ],
                "signed": [plan.signed_by or None, str(plan.signed_on), plan.signed_ip or None, str(plan.signed_date)],
                "signature": checksum(plan.signature),
                "agreement": checksum(plan.signed_document),
            }
            for plan in self
        }

    def _check_schedule_write(self, vals):
        schedule = {
            "line_ids",
            "move_ids",
            "frequency",
            "interest_rate",
            "settlement_discount",
            "settlement_deadline",
            "amount_covered",
            "restore_penalties",
        }
        if schedule & vals.keys():
            self._check_schedule_editable()
