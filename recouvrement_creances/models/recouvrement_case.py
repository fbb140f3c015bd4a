from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date

# The court an injonction de payer is asked of, and the Cerfa form of the request (Code de procédure
# civile 1405 and following; forms published on service-public.fr).
COURT_KINDS = [
    ("commerce", "Tribunal de commerce"),
    ("judiciaire", "Tribunal judiciaire"),
    ("protection", "Juge des contentieux de la protection"),
]
COURT_CERFA = {"commerce": "12946*02", "judiciaire": "12948*06", "protection": "16040*01"}


class RecouvrementCase(models.Model):
    """A contentious file (dossier contentieux): the debts the amicable phase did not recover, followed
    through the legal stages, or handed to a collection agency or to the credit insurer. While a case is open
    its invoices leave the dunning run."""

    _name = "recouvrement.case"
    _description = "Contentious Case"
    _inherit = ["mail.thread", "mail.activity.mixin", "recouvrement.input.mixin"]
    _order = "date_open desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company, index=True
    )
    partner_id = fields.Many2one("res.partner", string="Debtor", required=True, readonly=True, index=True)
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    move_ids = fields.Many2many(
        "account.move",
        "recouvrement_case_move_rel",
        "case_id",
        "move_id",
        string="Invoices",
        readonly=True,
        check_company=True,
    )
    case_type = fields.Selection(
        [
            ("legal", "Legal Procedure"),
            ("agency", "Collection Agency"),
            ("insurer", "Credit Insurer"),
            ("insolvency", "Collective Proceedings"),
        ],
        string="Type",
        required=True,
        default="legal",
        tracking=True,
    )
    stage_id = fields.Many2one(
        "recouvrement.case.stage",
        required=True,
        tracking=True,
        index=True,
        group_expand="_read_group_expand_full",
        default=lambda self: self.env["recouvrement.case.stage"].search([("insolvency", "=", False)], limit=1),
        ondelete="restrict",
        domain="['|', ('closing', '!=', False), ('insolvency', '=', case_type == 'insolvency')]",
    )
    stage_date = fields.Date(
        string="In Stage Since",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
        help="When the case entered its stage (the order's date, the service's date...): the stage's deadline "
        "is counted from it.",
    )
    date_deadline = fields.Date(string="Next Deadline", compute="_compute_date_deadline", store=True)
    deadline_name = fields.Char(related="stage_id.deadline_name", string="Deadline For")
    is_closed = fields.Boolean(compute="_compute_is_closed", store=True)
    date_interruption = fields.Date(
        string="Prescription Interrupted on",
        readonly=True,
        copy=False,
        help="When the case last entered a stage that interrupts prescription (the court claim, an enforcement "
        "measure).",
    )
    date_open = fields.Date(string="Opened on", required=True, readonly=True, default=fields.Date.context_today)
    user_id = fields.Many2one(
        "res.users", string="Responsible", default=lambda self: self.env.user, tracking=True, index=True
    )
    lawyer_id = fields.Many2one(
        "res.partner", string="Lawyer or Commissaire de Justice", tracking=True, check_company=True
    )
    court_kind = fields.Selection(
        COURT_KINDS,
        string="Competent Court",
        compute="_compute_court_kind",
        store=True,
        readonly=False,
        help="Commercial debts go to the tribunal de commerce, consumer credit and rent to the juge des "
        "contentieux de la protection, the others to the tribunal judiciaire.",
    )
    court_name = fields.Char(string="Court", help="e.g. Tribunal de commerce de Lyon")
    court_reference = fields.Char(tracking=True)
    # what is claimed: the principal owed at opening, and the penalties, indemnity and interest accrued
    amount_principal = fields.Monetary(string="Principal", readonly=True)
    amount_penalties = fields.Monetary(string="Late-Payment Penalties", tracking=True)
    amount_indemnity = fields.Monetary(string="Recovery Indemnities", tracking=True)
    amount_interest = fields.Monetary(string="Interest", tracking=True)
    cost_ids = fields.One2many("recouvrement.case.cost", "case_id", string="Costs")
    amount_costs = fields.Monetary(string="Costs Incurred", compute="_compute_amounts", store=True)
    amount_claimed = fields.Monetary(compute="_compute_amounts", store=True)
    amount_recovered = fields.Monetary(
        compute="_compute_amounts",
        store=True,
        help="Paid on the case's invoices since it was opened (by the debtor, an agency or the insurer).",
    )
    amount_outstanding = fields.Monetary(compute="_compute_amounts", store=True)

    @api.depends("stage_id.deadline_months", "stage_id.deadline_days", "stage_date")
    def _compute_date_deadline(self):
        for case in self:
            case.date_deadline = case.stage_id._deadline_from(case.stage_date) if case.stage_id else False

    @api.depends("stage_id.closing")
    def _compute_is_closed(self):
        for case in self:
            case.is_closed = bool(case.stage_id.closing)

    @api.depends("partner_id")
    def _compute_court_kind(self):
        for case in self:
            policy = case.partner_id.with_company(case.company_id)._collection_policy()
            b2b = case.partner_id._collection_penalty_rule(policy)["b2b"] if case.partner_id else True
            case.court_kind = "commerce" if b2b else "judiciaire"

    @api.depends(
        "amount_principal",
        "amount_penalties",
        "amount_indemnity",
        "amount_interest",
        "cost_ids.amount",
        "move_ids.amount_residual",
    )
    def _compute_amounts(self):
        for case in self:
            round_ = case.currency_id.round
            case.amount_costs = round_(sum(case.cost_ids.mapped("amount")))
            case.amount_claimed = round_(
                case.amount_principal
                + case.amount_penalties
                + case.amount_indemnity
                + case.amount_interest
                + case.amount_costs
            )
            received = case.move_ids._collection_payments_received(since=case.date_open)
            case.amount_recovered = round_(sum(amount for amount, _day in received.values()))
            case.amount_outstanding = round_(max(case.amount_claimed - case.amount_recovered, 0.0))

    def _court_cerfa(self):
        """The Cerfa number of the injonction de payer request to this case's court."""
        self.ensure_one()
        return COURT_CERFA.get(self.court_kind, "")

    # ------------------------------------------------------------------
    # Input checks
    # ------------------------------------------------------------------

    @api.model
    def _input_bounds(self):
        return {
            **super()._input_bounds(),
            "agency_rate": (0, 100),
            "insurer_cover": (0, 100),
            "insurer_claim_amount": (0, None),
            "amount_principal": (0, None),
            "amount_penalties": (0, None),
            "amount_indemnity": (0, None),
            "amount_interest": (0, None),
        }

    @api.constrains("move_ids", "partner_id", "currency_id")
    def _check_invoices(self):
        for case in self:
            case._input_check_invoices(case.move_ids, case.partner_id, case.currency_id)

    @api.constrains("stage_date", "insurer_claim_date")
    def _check_dates(self):
        today = fields.Date.context_today(self)
        for case in self:
            for name in ("stage_date", "insurer_claim_date"):
                if case[name] and case[name] > today:
                    raise ValidationError(
                        self.env._(
                            "%(record)s: “%(field)s” cannot be in the future (%(date)s).",
                            record=case._input_record_label(),
                            field=self._fields[name]._description_string(self.env),
                            date=format_date(self.env, case[name]),
                        )
                    )

    # ------------------------------------------------------------------
    # Opening
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("recouvrement.case") or "/"
        cases = super().create(vals_list)
        cases._schedule_deadline_activities()
        cases._record_interruption()
        return cases

    @api.model
    def _check_openable(self, moves, on_date, case_type="legal"):
        """Refuse, before anything is created, invoices that cannot go to a case of ``case_type``."""
        if not moves:
            raise UserError(self.env._("Select the open customer invoices of the case."))
        if moves.filtered(lambda m: m.move_type != "out_invoice" or m.state != "posted" or not m.amount_residual):
            raise UserError(self.env._("A contentious case covers posted customer invoices that are still open."))
        not_due = moves.filtered(lambda m: not m.invoice_date_due or m.invoice_date_due >= on_date)
        if not_due:
            raise UserError(
                self.env._(
                    "Only a debt already due can be claimed: these invoices are not due yet (%(invoices)s).",
                    invoices=", ".join(not_due.mapped("name")),
                )
            )
        busy = moves.filtered("collection_case_id")
        if busy:
            raise UserError(
                self.env._(
                    "These invoices are already in an open case: %(invoices)s.",
                    invoices=", ".join(busy.mapped("name")),
                )
            )
        planned = moves.filtered(
            lambda m: m.sudo().collection_payment_plan_ids.filtered(lambda plan: plan.state == "active")
        )
        if planned:
            raise UserError(
                self.env._(
                    "These invoices are in an active payment plan: cancel the plan first (%(invoices)s).",
                    invoices=", ".join(planned.mapped("name")),
                )
            )

    @api.model
    def _open_for_moves(self, moves, case_type="legal", on_date=None, vals=None):
        """Open one case per debtor and currency on ``moves``, claiming their residual and the penalties,
        indemnities and interest accrued on ``on_date``; ``vals`` are the cases' other values."""
        on_date = on_date or fields.Date.context_today(self)
        self._check_openable(moves, on_date, case_type)
        figures = moves._collection_penalty_figures(on_date)
        vals_list = []
        for (company, partner, currency), group in moves.grouped(
            lambda m: (m.company_id, m.commercial_partner_id, m.currency_id)
        ).items():
            claim = group._collection_case_claim(figures)
            vals_list.append(
                {
                    "company_id": company.id,
                    "partner_id": partner.id,
                    "currency_id": currency.id,
                    "move_ids": [fields.Command.set(group.ids)],
                    "case_type": case_type,
                    "date_open": on_date,
                    "stage_date": on_date,
                    "user_id": partner.with_company(company).collection_user_id.id or self.env.user.id,
                    **{key: currency.round(value) for key, value in claim.items()},
                    **(vals or {}),
                }
            )
        cases = self.create(vals_list)
        for case in cases:
            case.move_ids.with_context(collection_evidence=True)._message_log_batch(
                bodies={
                    move.id: Markup("<p>%s</p>")
                    % self.env._("Handed over to the contentious case %(case)s.", case=case.name)
                    for move in case.move_ids
                }
            )
        return cases

    # ------------------------------------------------------------------
    # Stages and deadlines
    # ------------------------------------------------------------------

    def write(self, vals):
        if {"decision", "decision_date", "decision_user_id"} & vals.keys() and not (
            self.env.su or self.env.user.has_group("recouvrement_creances.group_recouvrement_manager")
        ):
            raise AccessError(self.env._("Only a collection manager decides how a case is pursued."))
        if "stage_id" in vals:
            stage = self.env["recouvrement.case.stage"].browse(vals["stage_id"])
            if stage.closing == "recovered":
                self._check_recovered()
            if "stage_date" not in vals:
                vals["stage_date"] = fields.Date.context_today(self)
        result = super().write(vals)
        if {"stage_id", "stage_date"} & vals.keys():
            self._schedule_deadline_activities()
            self._record_interruption()
        return result

    def _record_interruption(self):
        """Each stage that interrupts prescription (the claim, the order, each enforcement measure) starts it
        again from the day the case entered it."""
        for case in self.filtered(lambda c: c.stage_id.interrupts_prescription):
            case.date_interruption = case.stage_date

    def _check_recovered(self):
        unpaid = self.filtered(lambda case: not case.currency_id.is_zero(case.amount_outstanding))
        if unpaid:
            raise UserError(
                self.env._(
                    "The case %(case)s still has %(amount)s outstanding: record the payments, or lower what is "
                    "claimed, before closing it as recovered; otherwise close it as irrecoverable.",
                    case=unpaid[0].name,
                    amount=unpaid[0].currency_id.format(unpaid[0].amount_outstanding),
                )
            )

    def _schedule_deadline_activities(self):
        """Remind the responsible of the deadline of the stage each case just entered."""
        xmlid = "recouvrement_creances.mail_activity_collection_case_deadline"
        self.activity_unlink([xmlid], only_automated=False)
        activity_type = self.env.ref(xmlid)
        for case in self.filtered("date_deadline"):
            case.activity_schedule(
                activity_type_id=activity_type.id,
                date_deadline=case.date_deadline,
                summary=case.stage_id.deadline_name,
                note=self.env._(
                    "Stage %(stage)s since %(date)s.",
                    stage=case.stage_id.name,
                    date=format_date(self.env, case.stage_date),
                ),
                user_id=case.user_id.id or self.env.user.id,
            )
