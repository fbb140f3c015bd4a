from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import SQL, format_date

from ..tools import days_between, next_level, prescription_date

# Collection data of an invoice: only collection users change it.
COLLECTION_FIELDS = {"collection_dispute", "collection_dispute_reason", "collection_dispute_until"}


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "recouvrement.input.mixin"]

    # The open customer documents of a debtor: its portal page and its collection figures read them by
    # commercial partner, which Odoo does not index.
    _recouvrement_open_by_debtor_idx = models.Index(
        "(commercial_partner_id, company_id) WHERE state = 'posted' AND payment_state IN ('not_paid', 'partial')"
    )

    collection_level_id = fields.Many2one(
        "recouvrement.level",
        copy=False,
        index="btree_not_null",
        readonly=True,
        help="Highest collection level this invoice has had.",
    )
    collection_last_action_date = fields.Date(string="Last Collection Action", copy=False, readonly=True)
    collection_dispute = fields.Boolean(
        string="In Dispute",
        copy=False,
        tracking=True,
        help="The customer contests this invoice: it is left out of collection until resolved.",
    )
    collection_dispute_reason = fields.Text(string="Dispute Reason", copy=False)
    collection_dispute_until = fields.Date(
        string="Dispute Block Until",
        copy=False,
        help="Collection resumes after this date even if the dispute is not marked resolved.",
    )
    collection_action_line_ids = fields.One2many(
        "recouvrement.action.line",
        "move_id",
        string="Collection History",
        readonly=True,
        groups="recouvrement_creances.group_recouvrement_agent",
    )
    collection_promise_ids = fields.Many2many(
        "recouvrement.promise",
        "recouvrement_promise_move_rel",
        "move_id",
        "promise_id",
        string="Promises to Pay",
        readonly=True,
        copy=False,
        groups="recouvrement_creances.group_recouvrement_agent",
    )
    collection_days_overdue = fields.Integer(string="Days Overdue", compute="_compute_collection_days_overdue")
    collection_next_level_id = fields.Many2one(
        "recouvrement.level", string="Next Collection Level", compute="_compute_collection_next"
    )
    collection_next_date = fields.Date(string="Next Collection Date", compute="_compute_collection_next")
    collection_payment_plan_ids = fields.Many2many(
        "recouvrement.payment.plan",
        "recouvrement_payment_plan_move_rel",
        "move_id",
        "plan_id",
        string="Payment Plans",
        readonly=True,
        copy=False,
        groups="recouvrement_creances.group_recouvrement_agent",
    )
    collection_case_ids = fields.Many2many(
        "recouvrement.case",
        "recouvrement_case_move_rel",
        "move_id",
        "case_id",
        string="Contentious Cases",
        readonly=True,
        copy=False,
        groups="recouvrement_creances.group_recouvrement_agent",
    )
    collection_case_id = fields.Many2one(
        "recouvrement.case",
        string="Contentious Case",
        compute="_compute_collection_case_id",
        store=True,
        index="btree_not_null",
        help="The open contentious case of this invoice: while it is open, the invoice leaves the dunning run.",
    )
    collection_case_stage_id = fields.Many2one(related="collection_case_id.stage_id", string="Case Stage", store=True)
    collection_prescription_date = fields.Date(
        string="Prescribed on",
        compute="_compute_collection_prescription_date",
        store=True,
        help="After this date the claim can no longer be brought to court: 5 years from the due date for a "
        "business, 2 years for a consumer, started again by a signed payment plan, a partial payment or a court "
        "claim.",
    )

    @api.depends("collection_case_ids.is_closed", "collection_case_ids.case_type")
    def _compute_collection_case_id(self):
        for move in self:
            # collective proceedings stop the other procedures (Code de commerce L622-21): their case comes first
            move.collection_case_id = (
                move.sudo()
                .collection_case_ids.filtered(lambda case: not case.is_closed)
                .sorted(lambda case: case.case_type != "insolvency")[:1]
            )

    @api.depends(
        "invoice_date_due",
        "amount_residual",
        "collection_payment_plan_ids.signed_date",
        "collection_case_ids.date_interruption",
        "collection_case_id.stage_id.prescription_years",
    )
    def _compute_collection_prescription_date(self):
        open_moves = self.filtered(
            lambda m: m.move_type == "out_invoice" and m.state == "posted" and m.invoice_date_due and m.amount_residual
        )
        (self - open_moves).collection_prescription_date = False
        if not open_moves:
            return
        # a partial payment by the debtor acknowledges the debt
        payments = {
            move: day for move, (_amount, day) in open_moves._collection_payments_received(debtor_only=True).items()
        }
        for company, moves in open_moves.grouped("company_id").items():
            policies = moves.commercial_partner_id.with_company(company)._collection_policies()
            for move in moves:
                partner = move.commercial_partner_id
                interruptions = [
                    payments.get(move),
                    *move.sudo().collection_payment_plan_ids.mapped("signed_date"),
                    *move.sudo().collection_case_ids.mapped("date_interruption"),
                ]
                b2b = partner._collection_penalty_rule(policies[partner])["b2b"]
                years = move.sudo().collection_case_id.stage_id.prescription_years
                move.collection_prescription_date = prescription_date(move.invoice_date_due, b2b, interruptions, years)

    def _collection_payments_received(self, since=None, debtor_only=False):
        """{move: (amount received in the invoice's currency, date of the last payment)} for these invoices:
        payments and bank statement lines reconciled with them, credit notes and write-offs excluded.

        :param since: only what was reconciled from that date
        :param debtor_only: only what the debtor paid (an insurer's indemnity is not the debtor's)
        """
        if not self.ids:
            return {}
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """SELECT src.move_id, SUM(part.debit_amount_currency), MAX(part.max_date)
                     FROM account_partial_reconcile part
                     JOIN account_move_line src ON src.id = part.debit_move_id
                     JOIN account_move src_move ON src_move.id = src.move_id
                     JOIN account_move_line pay ON pay.id = part.credit_move_id
                     JOIN account_move pay_move ON pay_move.id = pay.move_id
                LEFT JOIN res_partner payer ON payer.id = pay.partner_id
                    WHERE src.move_id IN %(ids)s
                      AND (pay_move.origin_payment_id IS NOT NULL OR pay_move.statement_line_id IS NOT NULL)
                      AND (%(since)s::date IS NULL OR part.max_date >= %(since)s::date)
                      AND (NOT %(debtor_only)s OR payer.commercial_partner_id = src_move.commercial_partner_id)
                 GROUP BY src.move_id""",
                ids=tuple(self.ids),
                since=since,
                debtor_only=debtor_only,
            )
        )
        return {self.browse(move_id): (amount, day) for move_id, amount, day in rows}

    @api.depends("invoice_date_due", "payment_state")
    @api.depends_context("date")
    def _compute_collection_days_overdue(self):
        today = self.env.context.get("date") or fields.Date.context_today(self)
        for move in self:
            open_invoice = move.is_sale_document() and move.payment_state in ("not_paid", "partial")
            move.collection_days_overdue = (
                max(days_between(move.invoice_date_due, today), 0) if open_invoice and move.invoice_date_due else 0
            )

    @api.depends("collection_level_id", "invoice_date_due", "partner_id")
    @api.depends_context("company")
    def _compute_collection_next(self):
        held = self.filtered("id")._collection_exclusion_reasons(fields.Date.context_today(self))
        for move in self:
            level, date = (move not in held and move._collection_next_step()) or (False, False)
            move.collection_next_level_id = level
            move.collection_next_date = date

    def _collection_next_step(self):
        """(level, date) of the next collection level this open invoice will reach, or None (the reasons of
        :meth:`_collection_exclusion_domains` are the caller's)."""
        self.ensure_one()
        if self.move_type != "out_invoice" or self.state != "posted" or not self.invoice_date_due:
            return None
        if self.payment_state not in ("not_paid", "partial") or self.no_followup:
            return None
        policy = self.partner_id.with_company(self.company_id)._collection_policy()
        current = self.collection_level_id.offset_days if self.collection_level_id else None
        step = next_level(((level.offset_days, level) for level in policy.level_ids), current) if policy else None
        if not step:
            return None
        offset, level = step
        return level, fields.Date.add(self.invoice_date_due, days=offset)

    def _input_record_label(self, vals=None):
        # an invoice is named as the user reads it: "Invoice FAC/2026/00001", not by the model's name
        if len(self) == 1 and self.name and self.name != "/":
            return self.env._("%(type)s “%(name)s”", type=self.type_name, name=self.name)
        return super()._input_record_label(vals)

    def _collection_sync_levels(self):
        """Give each of these invoices, as its collection level, the highest level of the actions that reached the
        debtor (done, or under way by a channel that is not delivered later: a call scheduled), and the date of the
        last one. An email waiting to be sent, or that finally failed, does not count: the invoice is chased again.

        Collection-only fields, which nothing in the accounting depends on: written in one statement rather than
        through the invoices' write(), which re-synchronises their journal items. The credit holds of a level
        follow."""
        if not self:
            return
        self.env["recouvrement.action"].flush_model(["state", "channel", "date"])
        self.env["recouvrement.action.line"].flush_model(["level_id", "excluded", "move_id"])
        before = dict(
            self.env.execute_query(
                SQL("SELECT id, collection_level_id FROM account_move WHERE id IN %s", tuple(self.ids))
            )
        )
        rows = self.env.execute_query(
            SQL(
                """WITH reached AS (
                       SELECT line.move_id, level.id AS level_id, level.offset_days, action.date
                         FROM recouvrement_action_line line
                         JOIN recouvrement_action action ON action.id = line.action_id
                         JOIN recouvrement_level level ON level.id = line.level_id
                        WHERE line.move_id IN %(ids)s AND NOT line.excluded
                          AND (action.state = 'done'
                               OR (action.state = 'pending' AND action.channel != ALL(%(delivered_later)s)))
                   ), top AS (
                       SELECT DISTINCT ON (move_id) move_id, level_id
                         FROM reached ORDER BY move_id, offset_days DESC, date DESC
                   ), last AS (
                       SELECT move_id, MAX(date) AS date FROM reached GROUP BY move_id
                   )
                   UPDATE account_move move
                      SET collection_level_id = top.level_id, collection_last_action_date = last.date,
                          write_uid = %(uid)s, write_date = %(now)s
                     FROM unnest(%(id_list)s::int[]) AS target(id)
                LEFT JOIN top ON top.move_id = target.id
                LEFT JOIN last ON last.move_id = target.id
                    WHERE move.id = target.id
                      AND (move.collection_level_id IS DISTINCT FROM top.level_id
                           OR move.collection_last_action_date IS DISTINCT FROM last.date)
                RETURNING move.id, move.collection_level_id""",
                ids=tuple(self.ids),
                id_list=list(self.ids),
                delivered_later=self.env["recouvrement.action"]._channels_delivered_later(),
                uid=self.env.uid,
                now=self.env.cr.now(),
            )
        )
        if not rows:
            return
        changed = self.browse(move_id for move_id, _level in rows)
        changed.invalidate_recordset(["collection_level_id", "collection_last_action_date", "write_uid", "write_date"])
        # a credit hold follows the level reached, or lost
        levels = self.env["recouvrement.level"].browse(
            {level_id for move_id, level_id in rows for level_id in (level_id, before[move_id]) if level_id}
        )
        holding = set(levels.filtered("credit_hold").ids)
        touched = changed.filtered(lambda move: move.collection_level_id.id in holding or before[move.id] in holding)
        for company, company_moves in touched.grouped("company_id").items():
            self.env["recouvrement.credit.hold"].with_company(company)._sync_partners(
                company_moves.commercial_partner_id
            )

    def _collection_ensure_access_tokens(self):
        """Give these invoices their portal access token, as get_portal_url() would one by one, in one
        statement: reminders link every invoice they list."""
        missing = self.filtered(lambda move: not move.access_token)
        if missing:
            self.env.cr.execute(
                SQL(
                    "UPDATE account_move SET access_token = gen_random_uuid()::text "
                    "WHERE id = ANY(%s) AND access_token IS NULL",
                    missing.ids,
                )
            )
            missing.invalidate_recordset(["access_token"])

    @api.model
    def _collection_mail_fields(self):
        """What a reminder reads of each invoice it lists: fetched for a whole batch at once."""
        return [
            "name",
            "access_token",
            "invoice_date",
            "invoice_date_due",
            "payment_reference",
            "move_type",
            "currency_id",
            "company_id",
        ]

    @api.model
    def _cron_collection_watch(self):
        """The daily watch of the deadlines that lose a claim: prescription and the credit insurer's notice."""
        for company in self.env.user.company_ids:
            self.with_company(company)._collection_warn_insurer_notice()
        self._collection_warn_prescription()

    @api.model
    def _collection_warn_insurer_notice(self, days_before=15):
        """Warn the collectors of the current company's insured invoices whose notice to the insurer falls due
        within ``days_before``, once per invoice."""
        activity_type = self.env.ref("recouvrement_creances.mail_activity_collection_insurer")
        today = fields.Date.context_today(self)
        moves = self.search(
            [
                ("company_id", "=", self.env.company.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
                ("invoice_date_due", "<", today),
                ("commercial_partner_id.collection_insurer_id", "!=", False),
                ("collection_case_ids", "not any", [("case_type", "=", "insurer")]),
                # once per invoice: a warning done is archived, and still counts
                (
                    "activity_ids",
                    "not any",
                    [("activity_type_id", "=", activity_type.id), ("active", "in", [True, False])],
                ),
            ]
        )
        warned = self.browse()
        for move in moves:
            partner = move.commercial_partner_id
            deadline = fields.Date.add(move.invoice_date_due, days=partner.collection_insurance_notice_days)
            if fields.Date.subtract(deadline, days=days_before) > today:
                continue
            move.activity_schedule(
                activity_type_id=activity_type.id,
                date_deadline=deadline,
                summary=self.env._(
                    "Declare the unpaid invoice to %(insurer)s by %(date)s",
                    insurer=partner.collection_insurer_id.name,
                    date=format_date(self.env, deadline),
                ),
                user_id=partner.collection_user_id.id or move.invoice_user_id.id or self.env.user.id,
            )
            warned |= move
        return warned

    @api.model
    def _collection_warn_prescription(self, days=90):
        """Warn the collectors of the open invoices prescribed within ``days``, once per invoice."""
        activity_type = self.env.ref("recouvrement_creances.mail_activity_collection_prescription")
        moves = self.search(
            [
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
                ("collection_prescription_date", "<=", fields.Date.add(fields.Date.context_today(self), days=days)),
                # a claim before the court: prescription does not run until the judgment (Code civil 2242)
                "!",
                "&",
                ("collection_case_id.stage_id.interrupts_prescription", "=", True),
                ("collection_case_id.stage_id.prescription_years", "=", 0),
                # once per invoice: a warning done is archived, and still counts
                (
                    "activity_ids",
                    "not any",
                    [("activity_type_id", "=", activity_type.id), ("active", "in", [True, False])],
                ),
            ]
        )
        for move in moves:
            collector = move.commercial_partner_id.with_company(move.company_id).collection_user_id
            move.activity_schedule(
                activity_type_id=activity_type.id,
                date_deadline=fields.Date.subtract(move.collection_prescription_date, days=30),
                summary=self.env._(
                    "Prescribed on %(date)s: sue or get an acknowledgement of the debt",
                    date=format_date(self.env, move.collection_prescription_date),
                ),
                user_id=collector.id or move.invoice_user_id.id or self.env.user.id,
            )
        return moves

    def _collection_credit_note(self, ratio_of, account, label, on_date):
        """Post a credit note for a share of these open invoices and offset it against them.

        Each invoice line is credited by ``ratio_of(invoice)`` of its amount, with its own taxes (the VAT is
        reduced in proportion), on ``account``. Returns the credit note, or raises if there is nothing to credit.
        """
        lines, target = [], 0.0
        for move in self.filtered(lambda m: m.amount_residual and m.amount_total):
            ratio = ratio_of(move)
            target += move.amount_total * ratio
            for invoice_line in move.invoice_line_ids.filtered(lambda line: line.display_type == "product"):
                # a price that includes its tax is credited with its tax
                included = any(invoice_line.tax_ids.mapped("price_include"))
                amount = invoice_line.price_total if included else invoice_line.price_subtotal
                lines.append(
                    Command.create(
                        {
                            "name": f"{label} – {move.name}",
                            "account_id": account.id,
                            "quantity": 1,
                            "price_unit": move.currency_id.round(amount * ratio),
                            "tax_ids": [Command.set(invoice_line.tax_ids.ids)],
                        }
                    )
                )
        if not lines:
            raise UserError(self.env._("These invoices owe nothing more: there is nothing to credit."))
        credit_note = self.create(
            {
                "move_type": "out_refund",
                "company_id": self.company_id.id,
                "partner_id": self.commercial_partner_id.id,
                "currency_id": self.currency_id.id,
                "invoice_date": on_date,
                "ref": label,
                "invoice_line_ids": lines,
            }
        )
        # the lines are rounded one by one: the cents left over go on a line of their own, without tax
        rest = credit_note.currency_id.round(target - credit_note.amount_total)
        if not credit_note.currency_id.is_zero(rest):
            credit_note.invoice_line_ids = [
                Command.create(
                    {
                        "name": self.env._("%(label)s – rounding", label=label),
                        "account_id": account.id,
                        "quantity": 1,
                        "price_unit": rest,
                        "tax_ids": [Command.clear()],
                    }
                )
            ]
        credit_note.action_post()
        receivable = credit_note.line_ids.filtered(lambda line: line.account_type == "asset_receivable").account_id
        (credit_note | self).line_ids.filtered(
            lambda line: line.account_id == receivable and not line.reconciled
        ).reconcile()
        return credit_note

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_collection_open_case(self):
        """Hand these invoices over to a contentious case (one per debtor and currency), and open it."""
        cases = self.env["recouvrement.case"]._open_for_moves(self)
        return cases._get_records_action(name=self.env._("Contentious Cases"))

    def action_collection_exclude(self):
        """Open the wizard that excludes these invoices from collection, with a reason."""
        return self._collection_block_wizard("exclude")

    def action_collection_dispute(self):
        """Open the wizard that puts these invoices in dispute, with a reason."""
        return self._collection_block_wizard("dispute")

    # ------------------------------------------------------------------
    # Held back from collection
    # ------------------------------------------------------------------

    @api.model
    def _collection_exclusion_domains(self, date):
        """{reason: domain on account.move} of the invoices collection holds back on ``date``. Each module that
        holds invoices back (payment plans, contentious cases, disputes, promises) extends it with its own reason.
        The run, the invoice's next step, the customer's figures and the refresh of an action before it is
        executed all read it."""
        return {}

    @api.model
    def _collection_excluded_domain(self, date):
        """Domain of the invoices collection holds back on ``date``, whatever the reason."""
        return Domain.OR(self._collection_exclusion_domains(date).values())

    @api.model
    def _collection_held_ids(self, date, domain):
        """Ids of the moves of ``domain`` held back on ``date``, in one query: they are few, and a plain list of
        ids keeps the queries that leave them out simple scans, whatever the planner's statistics."""
        return self.sudo().search(self._collection_excluded_domain(date) & Domain(domain)).ids

    def _collection_exclusion_reasons(self, date):
        """{move: reason} of these moves held back on ``date`` (the first reason that applies), one query per
        reason."""
        reasons = {}
        for reason, domain in self._collection_exclusion_domains(date).items():
            for move in self.sudo().search(Domain("id", "in", self.ids) & Domain(domain)):
                reasons.setdefault(move.with_env(self.env), reason)
        return reasons

    def _collection_put_in_dispute(self, reason, date_until=False):
        """Leave these invoices out of collection while ``reason`` is disputed (until ``date_until`` if given),
        and say so in their chatter."""
        self.write(
            {"collection_dispute": True, "collection_dispute_reason": reason, "collection_dispute_until": date_until}
        )
        body = Markup("<p>%s</p>") % self.env._("Put in dispute: %(reason)s", reason=reason)
        self.with_context(collection_evidence=True)._message_log_batch(bodies=dict.fromkeys(self.ids, body))

    def _collection_block_wizard(self, mode):
        invoices = self.filtered(lambda m: m.move_type == "out_invoice")
        wizard = self.env["recouvrement.block.wizard"]
        return wizard._get_records_action(
            name=dict(wizard._fields["mode"]._description_selection(self.env))[mode],
            target="new",
            context={"default_mode": mode, "default_move_ids": invoices.ids},
        )

    def write(self, vals):
        if (
            COLLECTION_FIELDS & vals.keys()
            and not self.env.su
            and not self.env.user.has_group("recouvrement_creances.group_recouvrement_agent")
        ):
            raise AccessError(self.env._("Only collection users may put an invoice in dispute."))
        return super().write(vals)
