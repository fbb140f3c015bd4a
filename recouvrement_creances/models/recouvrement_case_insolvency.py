from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_repr, format_date
from odoo.tools.pdf import merge_pdf

from ..tools.evidence import checksum
from .recouvrement_insolvency_announcement import PROCEEDING_KINDS, PROCEEDING_STATES

# Code de commerce: the claim is declared within 2 months of the opening's publication in the BODACC, 4 for a
# creditor outside metropolitan France (L622-24, R622-24); relief from the bar may be asked within 6 months
# (L622-26); goods sold under retention of title are claimed back within 3 months (L624-9).
CLAIM_MONTHS, CLAIM_MONTHS_ABROAD, RELIEF_MONTHS, RETENTION_MONTHS = 2, 4, 6, 3
ALERT_DAYS = (30, 7)
# the French overseas departments and collectivities, whose postcodes start so
OVERSEAS_ZIP_PREFIXES = ("97", "98")
# What follows the declaration once sent, as for a mise en demeure: entered by hand (a date corrected to the
# registered letter's, its number, its acknowledgement and scan, what the juge-commissaire admitted), each change
# tracked and sealed in the evidence chain with the declaration as sent.
DECLARATION_FIELDS = {
    "insolvency_declaration_date",
    "insolvency_declaration_number",
    "insolvency_declaration_ack_date",
    "insolvency_declaration_ack_scan",
    "insolvency_declaration_ack_scan_name",
    "insolvency_amount_admitted",
    "insolvency_admission_date",
}


class RecouvrementCase(models.Model):
    """A case of collective proceedings: the debts born before the opening judgment, declared to the mandataire
    judiciaire (or the liquidator) by its deadline, then followed until the juge-commissaire admits or contests
    the claim."""

    _inherit = "recouvrement.case"

    insolvency_announcement_id = fields.Many2one(
        "recouvrement.insolvency.announcement", string="Opening Announcement", readonly=True
    )
    insolvency_judgment_date = fields.Date(
        string="Opening Judgment of", related="insolvency_announcement_id.judgment_date"
    )
    insolvency_publication_date = fields.Date(
        string="Published in the BODACC on", related="insolvency_announcement_id.publication_date", store=True
    )
    insolvency_court = fields.Char(string="Court of the Proceedings", related="insolvency_announcement_id.court")
    insolvency_kind = fields.Selection(PROCEEDING_KINDS, string="Proceedings", compute="_compute_insolvency")
    insolvency_state = fields.Selection(
        PROCEEDING_STATES, string="State of the Proceedings", compute="_compute_insolvency"
    )
    insolvency_plan_date = fields.Date(string="Plan Adopted on", compute="_compute_insolvency")
    insolvency_closure_date = fields.Date(string="Closed on", compute="_compute_insolvency")
    mandataire_id = fields.Many2one(
        "res.partner",
        string="Mandataire or Liquidator",
        compute="_compute_insolvency_appointees",
        store=True,
        readonly=False,
        tracking=True,
        help="Who the claim is declared to: the mandataire judiciaire, or the liquidator in a liquidation.",
    )
    administrator_id = fields.Many2one(
        "res.partner",
        compute="_compute_insolvency_appointees",
        store=True,
        readonly=False,
        tracking=True,
    )
    insolvency_abroad = fields.Boolean(
        string="Creditor outside Metropolitan France",
        compute="_compute_insolvency_abroad",
        store=True,
        readonly=False,
        help="The company lives outside metropolitan France: it has 4 months instead of 2 to declare (R622-24).",
    )
    insolvency_claim_deadline = fields.Date(
        string="Declare by", compute="_compute_insolvency_deadlines", store=True, tracking=True
    )
    insolvency_relief_deadline = fields.Date(
        string="Relief from the Bar until",
        compute="_compute_insolvency_deadlines",
        store=True,
        help="Past the declaration deadline, the claim is barred unless the juge-commissaire grants relief, asked "
        "within 6 months of the publication (L622-26).",
    )
    insolvency_retention = fields.Boolean(
        string="Retention of Title",
        compute="_compute_insolvency_retention",
        store=True,
        readonly=False,
        help="The goods were sold under a retention-of-title clause: they may be claimed back (L624-9, L624-16).",
    )
    insolvency_retention_deadline = fields.Date(
        string="Claim the Goods Back by", compute="_compute_insolvency_deadlines", store=True
    )
    insolvency_retention_claim_date = fields.Date(string="Goods Claimed Back on", tracking=True)
    insolvency_security = fields.Text(
        string="Security or Privilege",
        compute="_compute_insolvency_retention",
        store=True,
        readonly=False,
        help="What secures the claim, printed in the declaration (L622-25); empty for an unsecured claim.",
    )
    insolvency_declaration_date = fields.Date(string="Declared on", tracking=True, copy=False)
    insolvency_declaration_number = fields.Char(string="Registered Letter Number", tracking=True, copy=False)
    insolvency_declaration_ack_date = fields.Date(string="Acknowledged on", tracking=True, copy=False)
    insolvency_declaration_ack_scan = fields.Binary(string="Acknowledgement Scan", attachment=True, copy=False)
    insolvency_declaration_ack_scan_name = fields.Char(copy=False)
    insolvency_declaration_attachment_id = fields.Many2one(
        "ir.attachment", string="Declaration (PDF)", readonly=True, copy=False
    )
    insolvency_amount_admitted = fields.Monetary(string="Amount Admitted", tracking=True, copy=False)
    insolvency_admission_date = fields.Date(string="Admitted on", tracking=True, copy=False)
    insolvency_late = fields.Boolean(string="Declaration Late", compute="_compute_insolvency_late")
    insolvency_alert = fields.Char(string="To Do", compute="_compute_insolvency_late")

    @api.depends(
        "insolvency_announcement_id",
        "partner_id.collection_insolvency_ids.judgment_type",
        "partner_id.collection_insolvency_ids.publication_date",
        "partner_id.collection_insolvency_ids.judgment_date",
    )
    def _compute_insolvency(self):
        for case in self:
            proceeding = (
                case.partner_id.collection_insolvency_ids._proceeding(case.insolvency_announcement_id)
                if case.insolvency_announcement_id
                else {}
            )
            case.insolvency_kind = proceeding.get("kind", False)
            case.insolvency_state = proceeding.get("state", False)
            case.insolvency_plan_date = proceeding.get("plan_date", False)
            case.insolvency_closure_date = proceeding.get("closure_date", False)

    @api.depends(
        "insolvency_announcement_id",
        "partner_id.collection_insolvency_ids.mandataire_id",
        "partner_id.collection_insolvency_ids.administrator_id",
    )
    def _compute_insolvency_appointees(self):
        for case in self:
            proceeding = (
                case.partner_id.collection_insolvency_ids._proceeding(case.insolvency_announcement_id)
                if case.insolvency_announcement_id
                else {}
            )
            case.mandataire_id = proceeding.get("mandataire") or case.mandataire_id
            case.administrator_id = proceeding.get("administrator") or case.administrator_id

    @api.depends("company_id.partner_id.country_id", "company_id.partner_id.zip", "case_type")
    def _compute_insolvency_abroad(self):
        for case in self:
            address = case.company_id.partner_id
            case.insolvency_abroad = case.case_type == "insolvency" and bool(
                (address.country_id and address.country_id.code != "FR")
                or (address.zip or "").strip().startswith(OVERSEAS_ZIP_PREFIXES)
            )

    @api.depends("partner_id.collection_retention_of_title", "case_type")
    def _compute_insolvency_retention(self):
        for case in self:
            retention = case.case_type == "insolvency" and case.partner_id.collection_retention_of_title
            case.insolvency_retention = retention
            case.insolvency_security = (
                self.env._(
                    "Retention-of-title clause in the terms of sale (Code de commerce L624-16): the goods delivered "
                    "and unpaid are claimed back."
                )
                if retention
                else False
            )

    @api.depends("insolvency_publication_date", "insolvency_abroad", "insolvency_retention")
    def _compute_insolvency_deadlines(self):
        for case in self:
            published = case.insolvency_publication_date
            if not published:
                case.insolvency_claim_deadline = case.insolvency_relief_deadline = False
                case.insolvency_retention_deadline = False
                continue
            months = CLAIM_MONTHS_ABROAD if case.insolvency_abroad else CLAIM_MONTHS
            case.insolvency_claim_deadline = published + relativedelta(months=months)
            case.insolvency_relief_deadline = published + relativedelta(months=RELIEF_MONTHS)
            case.insolvency_retention_deadline = case.insolvency_retention and published + relativedelta(
                months=RETENTION_MONTHS
            )

    @api.depends(
        "insolvency_claim_deadline",
        "insolvency_declaration_date",
        "insolvency_relief_deadline",
        "insolvency_retention_deadline",
        "insolvency_retention_claim_date",
        "mandataire_id",
        "is_closed",
    )
    @api.depends_context("date")
    def _compute_insolvency_late(self):
        today = self.env.context.get("date") or fields.Date.context_today(self)
        for case in self:
            deadline = case.insolvency_claim_deadline
            case.insolvency_late = bool(deadline) and (case.insolvency_declaration_date or today) > deadline
            case.insolvency_alert = case._insolvency_alert() if deadline and not case.is_closed else False

    def _insolvency_alert(self):
        """What the case's banner says is still to do, and by when."""
        self.ensure_one()
        todo = []
        if self.insolvency_late and not self.insolvency_declaration_date:
            todo.append(
                self.env._(
                    "The declaration deadline passed on %(deadline)s: the claim is barred unless the juge-commissaire "
                    "grants relief, asked by %(relief)s at the latest (L622-26).",
                    deadline=format_date(self.env, self.insolvency_claim_deadline),
                    relief=format_date(self.env, self.insolvency_relief_deadline),
                )
            )
        elif not self.insolvency_declaration_date:
            todo.append(
                self.env._(
                    "Declare the claim by %(deadline)s to %(mandataire)s.",
                    deadline=format_date(self.env, self.insolvency_claim_deadline),
                    mandataire=self.mandataire_id.name or self.env._("the mandataire judiciaire"),
                )
            )
        if self.insolvency_retention_deadline and not self.insolvency_retention_claim_date:
            todo.append(
                self.env._(
                    "Claim back the goods sold under retention of title by %(deadline)s (L624-9).",
                    deadline=format_date(self.env, self.insolvency_retention_deadline),
                )
            )
        return " ".join(todo) or False

    @api.depends("insolvency_claim_deadline")
    def _compute_date_deadline(self):
        result = super()._compute_date_deadline()
        declare = self.env.ref("recouvrement_creances.case_stage_insolvency_declare", raise_if_not_found=False)
        for case in self.filtered(lambda c: c.case_type == "insolvency" and c.stage_id == declare):
            case.date_deadline = case.insolvency_claim_deadline
        return result

    @api.constrains("insolvency_declaration_date", "insolvency_declaration_ack_date", "insolvency_admission_date")
    def _check_insolvency_dates(self):
        today = fields.Date.context_today(self)
        for case in self:
            for name in ("insolvency_declaration_date", "insolvency_declaration_ack_date", "insolvency_admission_date"):
                if case[name] and case[name] > today:
                    raise ValidationError(
                        self.env._(
                            "%(record)s: “%(field)s” cannot be in the future (%(date)s).",
                            record=case._input_record_label(),
                            field=self._fields[name]._description_string(self.env),
                            date=format_date(self.env, case[name]),
                        )
                    )
            ack = case.insolvency_declaration_ack_date
            if ack and case.insolvency_declaration_date and ack < case.insolvency_declaration_date:
                raise ValidationError(
                    self.env._("%(record)s: a declaration is acknowledged after it is sent.", record=case.name)
                )

    @api.model
    def _input_bounds(self):
        return {**super()._input_bounds(), "insolvency_amount_admitted": (0, None)}

    # ------------------------------------------------------------------
    # Opening
    # ------------------------------------------------------------------

    @api.model
    def _check_openable(self, moves, on_date, case_type="legal"):
        if case_type != "insolvency":
            return super()._check_openable(moves, on_date, case_type)
        # the declaration covers the debts not yet due, and those of other procedures, which stop (L622-21)
        if moves.filtered(lambda m: m.move_type != "out_invoice" or m.state != "posted" or not m.amount_residual):
            raise UserError(self.env._("A contentious case covers posted customer invoices that are still open."))
        return None

    @api.model
    def _insolvency_moves(self, partners):
        """{debtor: its open customer invoices dated before the opening judgment of its proceedings}, in every
        company, in one search."""
        moves = (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                    ("commercial_partner_id", "in", partners.ids),
                ]
            )
        )
        return moves.filtered(
            lambda m: m.invoice_date and m.invoice_date < m.commercial_partner_id.collection_insolvency_judgment_date
        ).grouped("commercial_partner_id")

    @api.model
    def _open_for_insolvency(self, announcement):
        """Open, for the customer of an opening ``announcement``, a case in each company and currency it owes debts
        born before the judgment: reminders stop, promises are cancelled, payment plans and other procedures are
        suspended, and the responsible is told the deadlines."""
        partner = announcement.partner_id
        moves = self._insolvency_moves(partner).get(partner.commercial_partner_id, self.env["account.move"])
        if not moves:
            return self.browse()
        stage = self.env.ref("recouvrement_creances.case_stage_insolvency_declare")
        cases = self.browse()
        for company, company_moves in moves.grouped("company_id").items():
            cases |= (
                self.sudo()
                .with_company(company)
                ._open_for_moves(
                    company_moves,
                    case_type="insolvency",
                    vals={"insolvency_announcement_id": announcement.id, "stage_id": stage.id},
                )
            )
        cases._insolvency_suspend_collection()
        cases._insolvency_propose_doubtful()
        return cases

    def _insolvency_suspend_collection(self):
        """What the opening judgment stops on these cases' invoices: their open promises to pay are cancelled (the
        debtor may no longer pay an earlier debt, L622-7), their active payment plans suspended, and the other open
        cases told that their procedure stops (L622-21)."""
        moves = self.move_ids
        plans = moves.sudo().collection_payment_plan_ids.filtered(lambda plan: plan.state == "active")
        plans._set_state("suspended")
        promises = (
            self.env["recouvrement.promise"]
            .sudo()
            .search([("move_ids", "in", moves.ids), ("is_cancelled", "=", False)])
        )
        promises.filtered(lambda promise: promise.state == "open").is_cancelled = True
        others = moves.sudo().collection_case_ids.filtered(lambda c: not c.is_closed and c.case_type != "insolvency")
        for case in self:
            note = self.env._(
                "The debtor is in collective proceedings since the judgment of %(date)s: individual proceedings "
                "stop (Code de commerce L622-21) and the claim is declared in the case %(case)s.",
                date=format_date(self.env, case.insolvency_judgment_date or case.insolvency_publication_date),
                case=case.name,
            )
            for other in others.filtered(lambda o, case=case: o.move_ids & case.move_ids):
                other.message_post(body=note)
                other.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Stop the procedure: collective proceedings"),
                    note=note,
                    user_id=other.user_id.id or self.env.user.id,
                )
            for plan in plans.filtered(lambda p, case=case: p.move_ids & case.move_ids):
                plan.message_post(body=note)

    def _insolvency_propose_doubtful(self):
        """Collective proceedings make the debt doubtful: the accountant is asked to transfer it to 416."""
        for case in self:
            case.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Transfer the debt to doubtful debts (416)"),
                note=self.env._(
                    "The debtor is in collective proceedings: transfer the debt to doubtful debts and book an "
                    "impairment, from the case's Accounting tab."
                ),
                user_id=case.user_id.id or self.env.user.id,
            )

    def _insolvency_follow(self, announcement):
        """A later judgment (conversion, plan, closure...) of these cases' proceedings: said on each case, and the
        responsible told what it changes."""
        self.message_post(body=Markup("<p>%s</p>") % announcement._summary())
        todo = {
            "conversion": self.env._("Converted into liquidation: the liquidator now receives the claim."),
            "plan": self.env._("A plan was adopted: follow the dividends paid under it."),
            "closure": self.env._("The proceedings are closed: write the claim off, or close the case as recovered."),
        }.get(announcement.judgment_type)
        if todo:
            for case in self:
                case.activity_schedule(
                    "mail.mail_activity_data_todo", summary=todo, user_id=case.user_id.id or self.env.user.id
                )

    # ------------------------------------------------------------------
    # Deadlines
    # ------------------------------------------------------------------

    def write(self, vals):
        declaration = DECLARATION_FIELDS & vals.keys()
        if (declaration or "insolvency_declaration_attachment_id" in vals) and not self.env.su:
            self._insolvency_check_declaration_write(vals)
        cases = self
        if "insolvency_declaration_ack_scan" in vals:
            self.env["ir.attachment"]._collection_keep_replaced(self, "insolvency_declaration_ack_scan")
            cases = self.with_context(collection_evidence=True)  # the acknowledgement as received is evidence
        result = super(RecouvrementCase, cases).write(vals)
        if {"insolvency_abroad", "insolvency_retention", "insolvency_retention_claim_date"} & vals.keys():
            self._schedule_deadline_activities()
        if declaration:
            self._insolvency_seal_declaration()
        return result

    def _insolvency_check_declaration_write(self, vals):
        """What follows a declaration is entered once it is sent, and its date, which counts, is corrected but never
        removed: the declaration is evidence, attached by *Send the Declaration* only."""
        if "insolvency_declaration_attachment_id" in vals:
            raise UserError(self.env._("The declaration of claim is attached when it is sent, never by hand."))
        if self.filtered(lambda case: not case.insolvency_declaration_attachment_id):
            raise UserError(self.env._("Send the declaration of claim first."))
        if "insolvency_declaration_date" in vals and not vals["insolvency_declaration_date"]:
            raise UserError(self.env._("The declaration of claim was sent: its date can be corrected, not removed."))

    def _insolvency_seal_declaration(self):
        self.env["recouvrement.evidence"]._seal(self.filtered("insolvency_declaration_attachment_id"), "declaration")

    def _evidence_names(self, kind):
        """{case: how its evidence link reads}."""
        return {
            case: self.env._(
                "Declaration of claim: %(case)s (%(partner)s)", case=case.name, partner=case.partner_id.name
            )
            for case in self
        }

    def _evidence_content(self, kind):
        """{case: what its declaration of claim seals}: the debtor, the declaration as sent (its checksum), its date,
        registered letter number and acknowledgement with the scan's checksum, and what was admitted."""
        return {
            case: {
                "company": case.company_id.id,
                "partner": case.partner_id.id,
                "declaration": checksum(case.insolvency_declaration_attachment_id.raw),
                "sent": [str(case.insolvency_declaration_date), case.insolvency_declaration_number or None],
                "acknowledged": [
                    str(case.insolvency_declaration_ack_date),
                    checksum(case.insolvency_declaration_ack_scan),
                ],
                "admitted": [
                    float_repr(case.insolvency_amount_admitted, case.currency_id.decimal_places),
                    str(case.insolvency_admission_date),
                ],
            }
            for case in self
        }

    def _insolvency_deadlines(self):
        """[(deadline, what must be done by it)] still ahead of this case."""
        self.ensure_one()
        declare = self.env.ref("recouvrement_creances.case_stage_insolvency_declare")
        deadlines = []
        if self.stage_id == declare and self.insolvency_claim_deadline:
            deadlines.append(
                (self.insolvency_claim_deadline, self.env._("Declare the claim to the mandataire judiciaire"))
            )
        if self.insolvency_retention_deadline and not self.insolvency_retention_claim_date and not self.is_closed:
            deadlines.append(
                (self.insolvency_retention_deadline, self.env._("Claim back the goods sold under retention of title"))
            )
        return deadlines

    def _schedule_deadline_activities(self):
        """A case of collective proceedings is reminded of each deadline 30 and 7 days before it (or today, when it
        is nearer)."""
        result = super()._schedule_deadline_activities()
        activity_type = self.env.ref("recouvrement_creances.mail_activity_collection_case_deadline")
        today = fields.Date.context_today(self)
        for case in self.filtered(lambda c: c.case_type == "insolvency"):
            for deadline, what in case._insolvency_deadlines():
                if deadline < today:
                    continue
                alerts = sorted({max(deadline - relativedelta(days=days), today) for days in ALERT_DAYS})
                for alert in alerts:
                    case.activity_schedule(
                        activity_type_id=activity_type.id,
                        date_deadline=alert,
                        summary=self.env._(
                            "%(what)s by %(date)s (%(days)s days left)",
                            what=what,
                            date=format_date(self.env, deadline),
                            days=(deadline - alert).days,
                        ),
                        user_id=case.user_id.id or self.env.user.id,
                    )
        return result

    # ------------------------------------------------------------------
    # The declaration of claim and what follows it
    # ------------------------------------------------------------------

    def _insolvency_check(self):
        if self.filtered(lambda case: case.case_type != "insolvency"):
            raise UserError(self.env._("Only a case of collective proceedings has a declaration of claim."))

    def _insolvency_declaration_missing(self):
        """What the declaration of this case lacks to be sent."""
        self.ensure_one()
        missing = []
        mandataire = self.mandataire_id
        if not mandataire:
            missing.append(self.env._("the mandataire judiciaire or liquidator it is sent to"))
        elif not (mandataire.street and mandataire.zip and mandataire.city):
            missing.append(self.env._("the postal address of %(name)s", name=mandataire.name))
        if self.company_id.country_id.code == "FR" and not self.company_id.company_registry:
            missing.append(self.env._("%(company)s has no SIREN/SIRET", company=self.company_id.name))
        return missing

    def action_insolvency_send_declaration(self):
        """*Send the Declaration*: the letter, with the evidence file, kept as sent; the case moves to declared on
        today's date (correct it to the registered letter's date) and the responsible posts it."""
        self._insolvency_check()
        declared = self.env.ref("recouvrement_creances.case_stage_insolvency_declared")
        for case in self:
            if case.insolvency_declaration_attachment_id:
                raise UserError(self.env._("The declaration of %(case)s was already sent.", case=case.name))
            missing = case._insolvency_declaration_missing()
            if missing:
                raise UserError(
                    self.env._(
                        "The declaration of %(case)s cannot be made: %(missing)s.",
                        case=case.name,
                        missing="; ".join(missing),
                    )
                )
            evidence = case._generate_evidence()
            letter = case._insolvency_declaration_pdf()
            # the declaration as sent, which only the engine attaches
            case.sudo().insolvency_declaration_attachment_id = (
                self.env["ir.attachment"]
                .with_context(collection_evidence=True)
                .create(
                    {
                        "name": self.env._("Declaration of claim %(case)s.pdf", case=case.name).replace("/", "-"),
                        "raw": merge_pdf([letter, evidence]),
                        "mimetype": "application/pdf",
                        "res_model": self._name,
                        "res_id": case.id,
                    }
                )
            )
            case.write({"insolvency_declaration_date": fields.Date.context_today(self), "stage_id": declared.id})
            case.activity_schedule(
                "recouvrement_creances.mail_activity_collection_declaration",
                summary=self.env._(
                    "Send the declaration of claim by registered letter to %(name)s", name=case.mandataire_id.name
                ),
                user_id=case.user_id.id or self.env.user.id,
            )
        return True

    def _insolvency_declaration_pdf(self):
        self.ensure_one()
        report = self.env.ref("recouvrement_creances.action_report_case_claim_declaration")
        # a PDF, as sent, even where Odoo renders reports as HTML (its test mode)
        return report.with_context(force_report_rendering=True)._render_qweb_pdf(report.report_name, self.ids)[0]

    def action_insolvency_contested(self):
        """*Claim Contested*: the mandataire contests it; the creditor has 30 days to answer (L622-27)."""
        self._insolvency_check()
        self._insolvency_require_declared()
        self.stage_id = self.env.ref("recouvrement_creances.case_stage_insolvency_contested")
        return True

    def action_insolvency_admitted(self):
        """*Claim Admitted*: the juge-commissaire admitted the claim, for the amount entered."""
        self._insolvency_check()
        self._insolvency_require_declared()
        for case in self:
            if case.currency_id.compare_amounts(case.insolvency_amount_admitted, 0) <= 0:
                raise UserError(self.env._("Enter the amount admitted by the juge-commissaire first."))
            if case.currency_id.compare_amounts(case.insolvency_amount_admitted, case.amount_claimed) > 0:
                raise UserError(
                    self.env._(
                        "The amount admitted (%(admitted)s) cannot exceed the amount declared (%(declared)s).",
                        admitted=case.currency_id.format(case.insolvency_amount_admitted),
                        declared=case.currency_id.format(case.amount_claimed),
                    )
                )
        self.write(
            {
                "stage_id": self.env.ref("recouvrement_creances.case_stage_insolvency_admitted").id,
                "insolvency_admission_date": fields.Date.context_today(self),
            }
        )
        return True

    def _insolvency_require_declared(self):
        if self.filtered(lambda case: not case.insolvency_declaration_date):
            raise UserError(self.env._("Send the declaration of claim first."))

    def action_insolvency_doubtful(self):
        """*Transfer to Doubtful Debts*: the accounting wizard, set on the transfer."""
        self.ensure_one()
        return self.env["recouvrement.case.accounting.wizard"]._get_records_action(
            name=self.env._("Doubtful Debt Accounting"),
            target="new",
            context={"default_case_id": self.id, "default_operation": "doubtful"},
        )

    def _insolvency_declaration_values(self):
        """What the declaration prints (Code de commerce L622-25, R622-23): the debts due on the judgment's day,
        invoice by invoice, with what was still owed that day; those to fall due, with their due dates; the
        penalties and interest stopped on that day; the indemnities; the security; the proceedings in court."""
        self.ensure_one()
        judgment = self.insolvency_judgment_date or self.insolvency_publication_date
        received = self.move_ids._collection_payments_received(since=judgment)
        rows = []
        for move in self.move_ids.sorted(lambda m: (m.invoice_date_due or m.invoice_date, m.id)):
            owed = self.currency_id.round(move.amount_residual + received.get(move, (0.0, None))[0])
            rows.append({"move": move, "owed": owed, "due": (move.invoice_date_due or move.invoice_date) < judgment})
        due = [row for row in rows if row["due"]]
        to_fall_due = [row for row in rows if not row["due"]]
        penalties = self.currency_id.round(self.amount_penalties + self.amount_interest)
        total_due = self.currency_id.round(sum(row["owed"] for row in due) + penalties + self.amount_indemnity)
        total_to_fall_due = self.currency_id.round(sum(row["owed"] for row in to_fall_due))
        total = self.currency_id.round(total_due + total_to_fall_due)
        euro = self.env.ref("base.EUR")
        lawsuits = self.move_ids.sudo().collection_case_ids.filtered(
            lambda c: c.case_type == "legal" and c.court_name and c != self
        )
        b2b = self.partner_id.with_company(self.company_id)._collection_penalty_rule(
            self.partner_id.with_company(self.company_id)._collection_policy()
        )["b2b"]
        return {
            "b2b": b2b,
            "judgment_date": judgment,
            "due": due,
            "to_fall_due": to_fall_due,
            "penalties": penalties,
            "total_due": total_due,
            "total_to_fall_due": total_to_fall_due,
            "total": total,
            "total_eur": self.currency_id != euro
            and self.currency_id._convert(total, euro, self.company_id, judgment, round=True),
            "lawsuits": lawsuits,
            "disputed": self.move_ids.filtered("collection_dispute"),
            "place_date": self.company_id._collection_place_date(fields.Date.context_today(self)),
            # the responsible signs, unless the case was opened by a scheduled job: then whoever prints it
            "signatory": self.user_id if self.user_id and not self.user_id._is_superuser() else self.env.user,
            # lower case, inside a sentence: "... opened judicial reorganisation proceedings against ..."
            "kind": dict(self._fields["insolvency_kind"]._description_selection(self.env))
            .get(self.insolvency_kind, "")
            .lower(),
        }
