import base64
import csv
import io

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date

from ..tools.decision import recovery_outlook
from ..tools.evidence import bundle, checksum, page_count

# The court an injonction de payer is asked of, and the Cerfa form of the request (Code de procédure
# civile 1405 and following; forms published on service-public.fr).
COURT_KINDS = [
    ("commerce", "Tribunal de commerce"),
    ("judiciaire", "Tribunal judiciaire"),
    ("protection", "Juge des contentieux de la protection"),
]
COURT_CERFA = {"commerce": "12946*02", "judiciaire": "12948*06", "protection": "16040*01"}
DECISIONS = [
    ("pursue", "Pursue in Court"),
    ("agency", "Hand to a Collection Agency"),
    ("insurer", "Claim from the Credit Insurer"),
    ("write_off", "Write Off"),
]


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
        [("legal", "Legal Procedure"), ("agency", "Collection Agency"), ("insurer", "Credit Insurer")],
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
        default=lambda self: self.env["recouvrement.case.stage"].search([], limit=1),
        ondelete="restrict",
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
    agency_id = fields.Many2one(
        "res.partner",
        string="Collection Agency",
        domain="[('collection_agency', '=', True)]",
        tracking=True,
        check_company=True,
    )
    agency_rate = fields.Float(
        string="Commission (%)",
        compute="_compute_agency_rate",
        store=True,
        readonly=False,
        help="The agency's commission on what it recovers, from its mandate.",
    )
    agency_handover_date = fields.Date(string="Handed to the Agency on", readonly=True, copy=False, tracking=True)
    agency_commission = fields.Monetary(
        string="Commission Owed", compute="_compute_agency_commission", help="The commission on what was recovered."
    )
    agency_bill_ids = fields.Many2many(
        "account.move",
        "recouvrement_case_agency_bill_rel",
        "case_id",
        "move_id",
        string="Commission Bills",
        readonly=True,
        copy=False,
    )
    agency_commission_billed = fields.Monetary(string="Commission Billed", compute="_compute_agency_commission")
    insurer_id = fields.Many2one(
        "res.partner", string="Credit Insurer", compute="_compute_insurer_id", store=True, readonly=False
    )
    insurer_claim_date = fields.Date(string="Claim Filed on", tracking=True, copy=False)
    insurer_claim_amount = fields.Monetary(
        string="Amount Claimed from the Insurer",
        tracking=True,
        copy=False,
        help="The loss declared to the insurer: the principal owed, within the approved limit.",
    )
    insurer_cover = fields.Float(string="Cover (%)", compute="_compute_insurer_id", store=True, readonly=False)
    insurer_expected = fields.Monetary(string="Expected Indemnity", compute="_compute_insurer_amounts")
    insurer_payment_ids = fields.Many2many(
        "account.payment",
        "recouvrement_case_insurer_payment_rel",
        "case_id",
        "payment_id",
        string="Indemnities Received",
        readonly=True,
        copy=False,
    )
    insurer_indemnity = fields.Monetary(string="Indemnity Received", compute="_compute_insurer_amounts")
    uninsured_amount = fields.Monetary(
        string="Left to Collect",
        compute="_compute_insurer_amounts",
        help="What the invoices still owe: the part the insurer does not cover stays ours to collect.",
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
    # decision aid: advisory figures, the manager decides
    risk_class_id = fields.Many2one(
        "recouvrement.risk.class",
        compute="_compute_risk_class_id",
        store=True,
        readonly=False,
        tracking=True,
        help="Set at opening: the customer's risk class, else the class of the oldest days overdue of the invoices; "
        "a manager may change it.",
    )
    outlook_legal = fields.Monetary(string="Expected from Court", compute="_compute_outlook")
    outlook_agency = fields.Monetary(string="Expected from an Agency", compute="_compute_outlook")
    recommendation = fields.Selection(
        [decision for decision in DECISIONS if decision[0] != "insurer"], compute="_compute_outlook"
    )
    decision = fields.Selection(DECISIONS, readonly=True, tracking=True, copy=False)
    decision_date = fields.Date(readonly=True, copy=False)
    decision_user_id = fields.Many2one("res.users", string="Decided by", readonly=True, copy=False)
    # doubtful-debt accounting: the entries of the case, and the balances read from them
    accounting_move_ids = fields.Many2many(
        "account.move",
        "recouvrement_case_accounting_move_rel",
        "case_id",
        "move_id",
        string="Accounting Entries",
        readonly=True,
        copy=False,
    )
    company_currency_id = fields.Many2one(related="company_id.currency_id")
    amount_doubtful = fields.Monetary(
        string="In Doubtful Debts", currency_field="company_currency_id", compute="_compute_accounting_balances"
    )
    amount_impairment = fields.Monetary(
        string="Impairment", currency_field="company_currency_id", compute="_compute_accounting_balances"
    )
    evidence_file = fields.Binary(attachment=True, readonly=True, copy=False)
    evidence_file_name = fields.Char(readonly=True, copy=False)
    evidence_date = fields.Datetime(string="Evidence File of", readonly=True, copy=False)

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

    @api.depends("move_ids")
    def _compute_risk_class_id(self):
        classes = self.env["recouvrement.risk.class"].search([("code", "!=", False)])
        scored = {
            (solvency.partner_id, solvency.company_id): solvency.risk_class_id
            for solvency in self.env["recouvrement.solvency"]
            .sudo()
            .search([("partner_id", "in", self.partner_id.ids), ("risk_class_id", "!=", False)])
        }
        for case in self:
            if case.risk_class_id:
                continue
            if scored.get((case.partner_id, case.company_id)):
                case.risk_class_id = scored[case.partner_id, case.company_id]
                continue
            dues = case.move_ids.mapped("invoice_date_due")
            days = (case.date_open - min(dues)).days if dues and case.date_open else 0
            case.risk_class_id = classes._for_days_overdue(days)

    @api.depends("risk_class_id", "amount_outstanding", "company_id")
    def _compute_outlook(self):
        for case in self:
            company = case.company_id
            legal, agency, recommendation = recovery_outlook(
                case.amount_outstanding,
                legal_rate=case.risk_class_id.legal_recovery_rate,
                agency_rate=case.risk_class_id.agency_recovery_rate,
                legal_fixed=company.currency_id._convert(
                    company.recouvrement_legal_cost_fixed, case.currency_id, company, case.date_open
                ),
                legal_cost_rate=company.recouvrement_legal_cost_rate,
                agency_commission=company.recouvrement_agency_rate,
            )
            case.outlook_legal = case.currency_id.round(legal)
            case.outlook_agency = case.currency_id.round(agency)
            case.recommendation = recommendation

    def action_decide(self):
        """Record the manager's decision (the button's ``decision`` context), with the figures it was taken on.
        Only managers may write a decision (see write)."""
        decision = self.env.context.get("decision")
        labels = dict(self._fields["decision"]._description_selection(self.env))
        if decision not in labels:
            raise UserError(self.env._("Choose how the case is pursued."))
        recommendations = dict(self._fields["recommendation"]._description_selection(self.env))
        for case in self:
            case.write(
                {
                    "decision": decision,
                    "decision_date": fields.Date.context_today(self),
                    "decision_user_id": self.env.user.id,
                }
            )
            if decision in ("agency", "insurer"):
                case.case_type = decision
            case.message_post(
                body=self.env._(
                    "Decision: %(decision)s. Advised: %(recommendation)s (risk class %(risk_class)s; expected from "
                    "court %(legal)s, from an agency %(agency)s, on %(outstanding)s outstanding).",
                    decision=labels[decision],
                    recommendation=recommendations[case.recommendation],
                    risk_class=case.risk_class_id.code or "",
                    legal=case.currency_id.format(case.outlook_legal),
                    agency=case.currency_id.format(case.outlook_agency),
                    outstanding=case.currency_id.format(case.amount_outstanding),
                )
            )
        return True

    @api.depends("agency_id")
    def _compute_agency_rate(self):
        for case in self:
            case.agency_rate = case.agency_id.sudo().collection_agency_rate

    @api.depends(
        "agency_rate",
        "agency_handover_date",
        "amount_recovered",
        "agency_bill_ids.amount_untaxed",
        "agency_bill_ids.state",
    )
    def _compute_agency_commission(self):
        for case in self:
            # what the debtor paid once the agency had the file: the insurer's indemnity is not the agency's work
            received = (
                case.move_ids._collection_payments_received(since=case.agency_handover_date, debtor_only=True)
                if case.agency_handover_date
                else {}
            )
            recovered = sum(amount for amount, _day in received.values())
            case.agency_commission = case.currency_id.round(recovered * case.agency_rate / 100)
            bills = case.agency_bill_ids.filtered(lambda bill: bill.state != "cancel")
            case.agency_commission_billed = sum(bills.mapped("amount_untaxed"))

    @api.depends("partner_id", "company_id")
    def _compute_insurer_id(self):
        for case in self:
            partner = case.partner_id.with_company(case.company_id)
            case.insurer_id = partner.collection_insurer_id
            case.insurer_cover = partner.collection_insurance_cover

    @api.depends("insurer_claim_amount", "insurer_cover", "insurer_payment_ids.amount", "move_ids.amount_residual")
    def _compute_insurer_amounts(self):
        for case in self:
            case.insurer_expected = case.currency_id.round(case.insurer_claim_amount * case.insurer_cover / 100)
            case.insurer_indemnity = sum(
                case.insurer_payment_ids.filtered(lambda p: p.state != "canceled").mapped("amount")
            )
            case.uninsured_amount = sum(case.move_ids.mapped("amount_residual"))

    def action_file_insurer_claim(self):
        """Declare the loss to the insurer: the principal still owed, within the approved limit."""
        self.ensure_one()
        if not self.insurer_id:
            raise UserError(self.env._("This customer has no credit insurer: set it on the customer first."))
        limit = self.partner_id.with_company(self.company_id).collection_insured_limit
        owed = sum(self.move_ids.mapped("amount_residual"))
        limit = self.company_id.currency_id._convert(limit, self.currency_id, self.company_id, self.date_open)
        self.write(
            {
                "case_type": "insurer",
                "insurer_claim_date": fields.Date.context_today(self),
                "insurer_claim_amount": self.currency_id.round(min(owed, limit) if limit else owed),
            }
        )
        return True

    def _book_insurer_indemnity(self, amount, on_date, journal):
        """Book the insurer's indemnity as a payment received from the insurer, reconciled with the invoices:
        the insured part is settled, the rest stays ours to collect."""
        self.ensure_one()
        if self.currency_id.compare_amounts(amount, 0) <= 0:
            raise UserError(self.env._("The indemnity must be more than zero."))
        if self.currency_id.compare_amounts(amount, sum(self.move_ids.mapped("amount_residual"))) > 0:
            raise UserError(self.env._("The indemnity is more than what the invoices of the case still owe."))
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.insurer_id.id,
                "amount": amount,
                "currency_id": self.currency_id.id,
                "date": on_date,
                "journal_id": journal.id,
                "memo": self.env._("Credit insurance indemnity, case %(case)s", case=self.name),
            }
        )
        payment.action_post()
        receivable = payment.move_id.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        (receivable | self.move_ids.line_ids).filtered(
            lambda line: line.account_id == receivable.account_id and not line.reconciled
        ).reconcile()
        self.insurer_payment_ids = [fields.Command.link(payment.id)]
        self.message_post(
            body=self.env._(
                "Indemnity of %(amount)s received from %(insurer)s: %(left)s is left to collect.",
                amount=self.currency_id.format(amount),
                insurer=self.insurer_id.name,
                left=self.currency_id.format(self.uninsured_amount),
            )
        )
        return payment

    @api.depends("accounting_move_ids.line_ids.balance", "accounting_move_ids.state")
    def _compute_accounting_balances(self):
        for case in self:
            lines = case.accounting_move_ids.filtered(lambda move: move.state == "posted").line_ids
            balances = {}
            for kind in ("doubtful", "impairment"):
                account = (
                    case.company_id._recouvrement_doubtful_account(kind, raise_if_missing=False) if lines else False
                )
                balances[kind] = sum(
                    lines.filtered(lambda line, account=account: line.account_id == account).mapped("balance")
                )
            case.amount_doubtful = balances["doubtful"]
            case.amount_impairment = -balances["impairment"]

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

    @api.constrains("agency_id")
    def _check_agency(self):
        for case in self.filtered(lambda case: case.agency_id and not case.agency_id.collection_agency):
            raise ValidationError(
                self.env._(
                    "%(record)s: %(partner)s is not a collection agency (tick it on the partner first).",
                    record=case._input_record_label(),
                    partner=case.agency_id.display_name,
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
    def _check_openable(self, moves, on_date):
        """Refuse, before anything is created, invoices that cannot go to a case."""
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
    def _open_for_moves(self, moves, case_type="legal", on_date=None):
        """Open one case per debtor and currency on ``moves``, claiming their residual and the penalties,
        indemnities and interest accrued on ``on_date``."""
        on_date = on_date or fields.Date.context_today(self)
        self._check_openable(moves, on_date)
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

    # ------------------------------------------------------------------
    # Evidence file
    # ------------------------------------------------------------------

    def action_check_evidence_integrity(self):
        """*Check the Integrity of the Evidence* of this case's company."""
        return self.env["recouvrement.evidence"].action_check_integrity(self.company_id)

    def action_generate_evidence(self):
        """(Re)generate the evidence file of these cases: one PDF of numbered exhibits, with their table."""
        for case in self:
            case._generate_evidence()
        return True

    def _generate_evidence(self):
        self.ensure_one()
        case = self.with_context(lang=self.company_id.partner_id.lang or self.env.lang, force_report_rendering=True)
        # the file states the result of an integrity check of the evidence made as it is put together
        self.env["recouvrement.evidence"]._check_companies(self.company_id)
        exhibits = case._evidence_exhibits()
        pdfs = [(number, exhibit["render"]()) for number, exhibit in enumerate(exhibits, 1)]
        counts = [page_count(pdf) for _number, pdf in pdfs]
        toc_pages, front = 1, b""
        for _attempt in range(3):  # the table's own length moves the page numbers it prints
            rows, page = [], toc_pages + 1
            for (number, exhibit_pdf), exhibit, count in zip(pdfs, exhibits, counts, strict=True):
                rows.append(
                    {
                        "number": number,
                        "title": exhibit["title"],
                        "page": page,
                        "pages": count,
                        "sha256": checksum(exhibit_pdf),
                    }
                )
                page += count
            front = case._evidence_section_pdf("toc", rows=rows)
            if page_count(front) == toc_pages:
                break
            toc_pages = page_count(front)

        def label(number, page, pages):
            return case.env._("Exhibit %(number)s – page %(page)s/%(pages)s", number=number, page=page, pages=pages)

        pdf = bundle(front, pdfs, label)
        self.write(
            {
                "evidence_file": base64.b64encode(pdf),
                "evidence_file_name": case.env._("Evidence file %(case)s.pdf", case=self.name).replace("/", "-"),
                "evidence_date": fields.Datetime.now(),
            }
        )
        self.message_post(
            body=self.env._(
                "Evidence file generated: %(exhibits)s exhibits, %(pages)s pages.",
                exhibits=len(exhibits),
                pages=page_count(pdf),
            )
        )
        return pdf

    def _evidence_section_pdf(self, section, **values):
        """One of the file's own pages (summary, terms, emails, calls...), as PDF."""
        report = self.env.ref("recouvrement_creances.action_report_case_evidence_section")
        return report._render_qweb_pdf(report.report_name, self.ids, data={"section": section, **values})[0]

    def _evidence_actions(self):
        """The collection actions done on this case's invoices, oldest first."""
        self.ensure_one()
        lines = self.env["recouvrement.action.line"].search(
            [("move_id", "in", self.move_ids.ids), ("excluded", "=", False), ("action_id.state", "=", "done")]
        )
        return lines.action_id.sorted(lambda action: (action.done_date or fields.Datetime.to_datetime(action.date)))

    def _evidence_plans(self):
        self.ensure_one()
        return self.move_ids.sudo().collection_payment_plan_ids.filtered(
            lambda plan: plan.state in ("active", "completed", "broken")
        )

    def _evidence_exhibits(self):
        """The exhibits in the order a court expects them: [{title, render: () -> PDF bytes}]."""
        self.ensure_one()

        def section(key, title, **values):
            return {"title": title, "render": lambda: self._evidence_section_pdf(key, **values)}

        def stored(title, pdf):
            return [{"title": title, "render": lambda: pdf}] if pdf and pdf.startswith(b"%PDF") else []

        invoice_report = self.env["ir.actions.report"]
        actions = self._evidence_actions()
        exhibits = [section("summary", self.env._("Summary of the claim"))]
        for move in self.move_ids.sorted(lambda m: (m.invoice_date or m.date, m.id)):
            exhibits.append(
                {
                    "title": self.env._(
                        "Invoice %(invoice)s of %(date)s",
                        invoice=move.name,
                        date=format_date(self.env, move.invoice_date),
                    ),
                    "render": lambda move=move: invoice_report._render_qweb_pdf("account.account_invoices", move.ids)[
                        0
                    ],
                }
            )
        exhibits.append(section("terms", self.env._("Terms of payment")))
        if actions.filtered(lambda a: a.channel == "email" and a.mail_message_id):
            exhibits.append(section("emails", self.env._("Reminders sent by email")))
        for letter in actions.filtered(lambda a: a.channel == "letter" and a.letter_attachment_id):
            title = self.env._("Reminder letter of %(date)s", date=format_date(self.env, letter.date))
            exhibits += stored(title, letter.letter_attachment_id.raw)
        if actions.filtered(lambda a: a.channel == "phone"):
            exhibits.append(section("calls", self.env._("Call log")))
        for notice in actions.filtered(lambda a: a.channel == "registered_letter"):
            title = self.env._("Formal notice of %(date)s", date=format_date(self.env, notice.date))
            exhibits += stored(title, notice.letter_attachment_id.raw)
            exhibits.append(
                section(
                    "notice", self.env._("Registered letter: sending and acknowledgement of receipt"), notice=notice
                )
            )
            exhibits += stored(
                self.env._("Acknowledgement of receipt (scan)"), base64.b64decode(notice.registered_ack_scan or b"")
            )
        if any(move.invoice_payments_widget for move in self.move_ids):
            exhibits.append(section("payments", self.env._("Payments received")))
        agreement = self.env.ref("recouvrement_creances.action_report_payment_plan_agreement")
        for plan in self._evidence_plans():
            title = self.env._("Payment plan of %(date)s", date=format_date(self.env, plan.date))
            signed = stored(title, base64.b64decode(plan.signed_document or b""))
            exhibits += signed
            if not signed:
                exhibits.append(
                    {
                        "title": title,
                        "render": lambda plan=plan: agreement._render_qweb_pdf(agreement.report_name, plan.ids)[0],
                    }
                )
            exhibits.append(
                section(
                    "plan",
                    self.env._("Follow-up of the payment plan of %(date)s", date=format_date(self.env, plan.date)),
                    plan=plan,
                )
            )
        return exhibits

    # ------------------------------------------------------------------
    # Collection agency
    # ------------------------------------------------------------------

    def action_agency_handover(self):
        """Hand the case to its agency: the evidence file and a CSV of the invoices are attached to the case, and
        the email to the agency is prepared with both."""
        self.ensure_one()
        if not self.agency_id:
            raise UserError(self.env._("Choose the collection agency of the case first."))
        if not self.agency_id.collection_agency_mandate_date:
            raise UserError(
                self.env._(
                    "The agency %(agency)s acts under a written mandate (CPCE R124-3): record its date on the agency "
                    "first.",
                    agency=self.agency_id.name,
                )
            )
        self._generate_evidence()
        evidence = self.env["ir.attachment"].search(
            [("res_model", "=", self._name), ("res_id", "=", self.id), ("res_field", "=", "evidence_file")], limit=1
        )
        listing = self.env["ir.attachment"].create(
            {
                "name": self.env._("Invoices %(case)s.csv", case=self.name).replace("/", "-"),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "text/csv",
                "raw": self._agency_invoice_csv(),
            }
        )
        copy = evidence.copy({"res_field": False, "name": self.evidence_file_name})
        self.write({"case_type": "agency", "agency_handover_date": fields.Date.context_today(self)})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Hand Over to the Agency"),
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_composition_mode": "comment",
                "default_partner_ids": self.agency_id.ids,
                "default_subject": self.env._(
                    "Collection mandate: %(debtor)s (%(case)s)", debtor=self.partner_id.name, case=self.name
                ),
                "default_body": Markup("<p>%s</p>")
                % self.env._(
                    "Under our mandate of %(date)s, please find the file of %(debtor)s: %(amount)s outstanding. "
                    "The evidence file and the list of the invoices are attached.",
                    date=format_date(self.env, self.agency_id.collection_agency_mandate_date),
                    debtor=self.partner_id.name,
                    amount=self.currency_id.format(self.amount_outstanding),
                ),
                "default_attachment_ids": [fields.Command.set((copy | listing).ids)],
            },
        }

    def _agency_invoice_csv(self):
        """The invoices of the case, one per row, for the agency's system (UTF-8, semicolons)."""
        self.ensure_one()
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(
            ["debtor", "debtor_registry", "invoice", "invoice_date", "due_date", "currency", "amount", "residual"]
        )
        for move in self.move_ids.sorted(lambda m: (m.invoice_date_due, m.id)):
            writer.writerow(
                [
                    self.partner_id.name,
                    self.partner_id.company_registry or "",
                    move.name,
                    move.invoice_date,
                    move.invoice_date_due,
                    move.currency_id.name,
                    f"{move.amount_total:.{move.currency_id.decimal_places}f}",
                    f"{move.amount_residual:.{move.currency_id.decimal_places}f}",
                ]
            )
        return buffer.getvalue().encode()

    def action_bill_agency_commission(self):
        """Draft the agency's bill for the commission owed and not yet billed."""
        self.ensure_one()
        due = self.currency_id.round(self.agency_commission - self.agency_commission_billed)
        if not self.agency_id or self.currency_id.compare_amounts(due, 0) <= 0:
            raise UserError(self.env._("No commission is owed to the agency beyond what was billed."))
        tax = self.company_id.account_purchase_tax_id
        if any(tax.mapped("price_include")):  # the commission owed is an amount excluding tax
            due = self.currency_id.round(
                due * (1 + sum(tax.filtered(lambda t: t.amount_type == "percent").mapped("amount")) / 100)
            )
        bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "company_id": self.company_id.id,
                "partner_id": self.agency_id.id,
                "currency_id": self.currency_id.id,
                "invoice_date": fields.Date.context_today(self),
                "ref": self.name,
                "invoice_line_ids": [
                    fields.Command.create(
                        {
                            "name": self.env._(
                                "Collection commission, case %(case)s (%(rate)s %% of %(recovered)s)",
                                case=self.name,
                                rate=self.agency_rate,
                                recovered=self.currency_id.format(self.amount_recovered),
                            ),
                            "quantity": 1,
                            "price_unit": due,
                            "tax_ids": [fields.Command.set(tax.ids)],
                        }
                    )
                ],
            }
        )
        self.agency_bill_ids = [fields.Command.link(bill.id)]
        return bill._get_records_action(name=self.env._("Commission Bill"))

    # ------------------------------------------------------------------
    # Doubtful-debt accounting
    # ------------------------------------------------------------------

    def _accounting_entry(self, lines, on_date, label):
        """Post a miscellaneous entry of ``lines`` [(account, balance in company currency, values)] for the case,
        and keep it on the case."""
        self.ensure_one()
        journal = self.env["account.journal"].search(
            [*self.env["account.journal"]._check_company_domain(self.company_id), ("type", "=", "general")], limit=1
        )
        move = self.env["account.move"].create(
            {
                "move_type": "entry",
                "company_id": self.company_id.id,
                "journal_id": journal.id,
                "date": on_date,
                "ref": f"{self.name} – {label}",
                "line_ids": [
                    fields.Command.create(
                        {
                            "account_id": account.id,
                            "balance": balance,
                            "partner_id": self.partner_id.id,
                            "name": label,
                            **values,
                        }
                    )
                    for account, balance, values in lines
                ],
            }
        )
        move.action_post()
        self.accounting_move_ids = [fields.Command.link(move.id)]
        return move

    def _doubtful_transfer_lines(self):
        """Each open receivable line of the invoices moves to the doubtful debts account. The invoices stay open:
        they are still owed, and the lines of the transfer are left out of the follow-ups."""
        self.ensure_one()
        doubtful = self.company_id._recouvrement_doubtful_account("doubtful")
        lines = []
        for line in self.move_ids.line_ids.filtered(
            lambda line: line.account_type == "asset_receivable" and not line.reconciled
        ):
            currency = {"currency_id": line.currency_id.id}
            lines.append(
                (doubtful, line.amount_residual, {**currency, "amount_currency": line.amount_residual_currency})
            )
            lines.append(
                (
                    line.account_id,
                    -line.amount_residual,
                    {**currency, "amount_currency": -line.amount_residual_currency},
                )
            )
        return lines

    def _untaxed_residual(self):
        """What the invoices still owe, excluding VAT, in the company's currency: an impairment is booked on it."""
        self.ensure_one()
        return self.company_id.currency_id.round(
            sum(
                move.amount_residual_signed * move.amount_untaxed / move.amount_total
                for move in self.move_ids
                if move.amount_total
            )
        )

    def _transfer_to_doubtful(self, on_date):
        if self.amount_doubtful:
            raise UserError(self.env._("The debt of this case is already in doubtful debts."))
        lines = self._doubtful_transfer_lines()
        if not lines:
            raise UserError(self.env._("The invoices of this case owe nothing more."))
        return self._accounting_entry(lines, on_date, self.env._("Transfer to doubtful debts"))

    def _book_impairment(self, percent, on_date):
        """An impairment of ``percent`` of the debt excluding VAT, or its increase from what is booked already."""
        if not 0 < percent <= 100:
            raise UserError(self.env._("An impairment is between 0 and 100 % of the debt excluding VAT."))
        company = self.company_id
        target = company.currency_id.round(self._untaxed_residual() * percent / 100)
        amount = company.currency_id.round(target - self.amount_impairment)
        if company.currency_id.compare_amounts(amount, 0) <= 0:
            raise UserError(self.env._("This impairment is already booked."))
        return self._accounting_entry(
            [
                (company._recouvrement_doubtful_account("impairment_expense"), amount, {}),
                (company._recouvrement_doubtful_account("impairment"), -amount, {}),
            ],
            on_date,
            self.env._("Impairment of %(percent)s %% of the debt excluding VAT", percent=percent),
        )

    def _reverse_impairment(self, on_date):
        """Reverse the whole impairment to income (the debt was recovered or written off)."""
        company = self.company_id
        amount = self.amount_impairment
        if company.currency_id.is_zero(amount):
            return self.env["account.move"]
        return self._accounting_entry(
            [
                (company._recouvrement_doubtful_account("impairment"), amount, {}),
                (company._recouvrement_doubtful_account("impairment_income"), -amount, {}),
            ],
            on_date,
            self.env._("Reversal of the impairment"),
        )

    def _reverse_doubtful_transfer(self, on_date):
        """Bring the debt back from doubtful debts, by reversing the transfer entries still standing."""
        transfers = self.accounting_move_ids.filtered(
            lambda move: move.state == "posted"
            and not move.reversal_move_ids
            and not move.reversed_entry_id
            and move.line_ids.account_id & self.company_id._recouvrement_doubtful_account("doubtful")
        )
        if not transfers:
            return self.env["account.move"]
        reversals = transfers._reverse_moves([{"date": on_date}] * len(transfers), cancel=True)
        self.accounting_move_ids = [fields.Command.link(move.id) for move in reversals]
        return reversals

    def _write_off(self, on_date):
        """The debt is irrecoverable: the transfer to doubtful debts and the impairment are reversed, and a
        corrective credit note (CGI 272-1) writes the invoices off to 654 excluding VAT and recovers their VAT."""
        self.ensure_one()
        self._reverse_doubtful_transfer(on_date)
        self._reverse_impairment(on_date)
        company = self.company_id

        def ratio(move):
            return move.amount_residual / move.amount_total

        # 6541 for the debts of the fiscal year, 6544 for older ones
        year_start = company.compute_fiscalyear_dates(on_date)["date_from"]
        kind = "write_off_year" if all(move.invoice_date >= year_start for move in self.move_ids) else "write_off"
        credit_note = self.move_ids._collection_credit_note(
            ratio,
            company._recouvrement_doubtful_account(kind),
            self.with_context(lang=self.partner_id.lang).env._("Irrecoverable debt written off"),
            on_date,
        )
        self.accounting_move_ids = [fields.Command.link(credit_note.id)]
        return credit_note
