from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..tools import action_totals

LETTERS = ("letter", "registered_letter")
STATE_TRANSITIONS = {
    "proposed": {"pending", "done", "failed", "cancelled"},
    "pending": {"done", "failed"},
    "done": {"failed"},  # an email that bounces after delivery
    "failed": {"done"},  # an email resent successfully
    "cancelled": set(),
}


class RecouvrementAction(models.Model):
    _name = "recouvrement.action"
    _description = "Collection Action"
    _inherit = ["mail.thread", "mail.activity.mixin", "recouvrement.input.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name")
    run_id = fields.Many2one("recouvrement.run", readonly=True, index=True, ondelete="restrict")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    partner_id = fields.Many2one(
        "res.partner", string="Debtor", required=True, readonly=True, index=True, ondelete="restrict"
    )
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    level_id = fields.Many2one("recouvrement.level", readonly=True, ondelete="restrict")
    policy_id = fields.Many2one(related="level_id.policy_id", store=True)
    needs_validation = fields.Boolean(related="level_id.needs_validation")
    invoice_penalties = fields.Boolean(related="level_id.invoice_penalties")
    # an addon adds a channel with selection_add, a ``channel_<code>`` box on the level and ``_execute_<code>``
    channel = fields.Selection(
        [
            ("email", "Email"),
            ("letter", "Letter"),
            ("registered_letter", "Registered Letter"),
            ("phone", "Phone Call"),
            ("escalation", "Escalation"),
            ("portal", "Debtor Portal"),
        ],
        required=True,
        readonly=True,
    )
    date = fields.Date(required=True, readonly=True, index=True)
    state = fields.Selection(
        [
            ("proposed", "Proposed"),
            ("pending", "In Progress"),
            ("done", "Done"),
            ("failed", "Failed"),
            ("cancelled", "Cancelled"),
        ],
        default="proposed",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
    )
    line_ids = fields.One2many("recouvrement.action.line", "action_id", string="Invoices", readonly=True)
    # never summed over actions: an invoice chased by email and by phone is in two actions, in its own currency
    # (the run's To Collect counts each invoice once, per currency)
    amount_due = fields.Monetary(string="Invoiced Due", compute="_compute_amounts", store=True, aggregator=None)
    amount_credit = fields.Monetary(string="Credits", compute="_compute_amounts", store=True, aggregator=None)
    amount_total = fields.Monetary(string="Net Due", compute="_compute_amounts", store=True, aggregator=None)
    invoice_count = fields.Integer(string="Number of Invoices", compute="_compute_amounts", store=True, aggregator=None)
    amount_overdue = fields.Monetary(
        string="Total Overdue", compute="_compute_amount_overdue", help="What the invoices past their due date owe."
    )
    email_fallback = fields.Boolean(
        string="Letter instead of Email", readonly=True, help="Nobody has an email address: a letter is sent."
    )
    recipient_id = fields.Many2one("res.partner", readonly=True)
    done_date = fields.Datetime(string="Executed on", readonly=True)
    done_user_id = fields.Many2one("res.users", string="Executed by", readonly=True)
    exclusion_reason = fields.Char(readonly=True)
    error = fields.Text(readonly=True)
    execution_problem = fields.Char(
        string="Cannot Be Executed", compute="_compute_execution_problem", help="What a proposed action lacks."
    )
    note = fields.Html()

    _level_unless_portal = models.Constraint(
        "CHECK (level_id IS NOT NULL OR channel = 'portal')",
        "A collection action has a level, unless the debtor did it on the portal.",
    )

    @api.depends("partner_id", "level_id", "channel", "portal_event")
    def _compute_name(self):
        channels = dict(self._fields["channel"]._description_selection(self.env))
        events = dict(self._fields["portal_event"]._description_selection(self.env))
        for action in self:
            step = events.get(action.portal_event) if action.channel == "portal" else action.level_id.name
            action.name = f"{action.partner_id.name} – {step or ''} – {channels.get(action.channel, '')}"

    @api.depends("state", "line_ids", "level_id", "channel")
    def _compute_execution_problem(self):
        problems = self.filtered(lambda action: action.state == "proposed")._get_execution_problems()
        for action in self:
            action.execution_problem = problems.get(action, False)

    @api.depends("line_ids.amount_residual", "line_ids.excluded")
    def _compute_amounts(self):
        for action in self:
            residuals = action.line_ids.filtered(lambda line: not line.excluded).mapped("amount_residual")
            action.amount_due, action.amount_credit, action.amount_total, action.invoice_count = action_totals(
                residuals
            )

    # ------------------------------------------------------------------
    # Proposals
    # ------------------------------------------------------------------
    @api.model
    def _create_proposals(self, vals_list):
        """Create proposed actions and their lines (``line_ids`` as create commands) in bulk.

        The daily run proposes thousands of actions with tens of thousands of lines at once: the actions
        are inserted a thousand rows per statement, the lines in one statement from column arrays, their
        totals summed here with the computes' own function (``action_totals``), instead of going through
        create() record by record. Access is checked as create() would.
        """
        self.check_access("create")
        self.env["recouvrement.action.line"].check_access("create")
        if not vals_list:
            return self
        self.env.flush_all()
        now, uid = self.env.cr.now(), self.env.uid
        levels = self.env["recouvrement.level"].browse({vals["level_id"] for vals in vals_list})
        policy_of = {level.id: level.policy_id.id for level in levels}
        currency_of = {
            currency.id: currency
            for currency in self.env["res.currency"].browse({vals["currency_id"] for vals in vals_list})
        }
        action_rows = []
        for vals in vals_list:
            currency = currency_of[vals["currency_id"]]
            due, credit, total, count = action_totals([line["amount_residual"] for _c, _i, line in vals["line_ids"]])
            action_rows.append((
                vals["run_id"], vals["company_id"], vals["partner_id"], vals["currency_id"], vals["level_id"],
                policy_of[vals["level_id"]], vals["channel"], vals["date"], "proposed", vals["email_fallback"],
                vals["recipient_id"] or None, currency.round(due), currency.round(credit), currency.round(total),
                count, uid, now, uid, now,
            ))  # fmt: skip
        action_ids = [
            row[0]
            for row in self.env.cr.execute_values(
                """INSERT INTO recouvrement_action (run_id, company_id, partner_id, currency_id, level_id, policy_id,
                       channel, date, state, email_fallback, recipient_id, amount_due, amount_credit, amount_total,
                       invoice_count, create_uid, create_date, write_uid, write_date)
                   VALUES %s RETURNING id""",
                action_rows,
                page_size=1000,
                fetch=True,
            )
        ]
        # The lines, the bulk of the rows, go in as one array per column.
        columns = {name: [] for name in ("action_id", "company_id", "move_id", "date_due", "days_overdue",
                                         "amount_residual", "level_id")}  # fmt: skip
        for action_id, vals in zip(action_ids, vals_list, strict=True):
            currency = currency_of[vals["currency_id"]]
            for _command, _id, line in vals["line_ids"]:
                columns["action_id"].append(action_id)
                columns["company_id"].append(vals["company_id"])
                columns["move_id"].append(line["move_id"])
                columns["date_due"].append(line["date_due"])
                columns["days_overdue"].append(line["days_overdue"])
                columns["amount_residual"].append(currency.round(line["amount_residual"]))
                columns["level_id"].append(line["level_id"] or None)
        self.env.cr.execute(
            SQL(
                """INSERT INTO recouvrement_action_line (action_id, company_id, move_id, date_due, days_overdue,
                       amount_residual, level_id, excluded, create_uid, create_date, write_uid, write_date)
                   SELECT line.*, FALSE, %(uid)s, %(now)s, %(uid)s, %(now)s
                     FROM unnest(%(action_id)s::int[], %(company_id)s::int[], %(move_id)s::int[],
                                 %(date_due)s::date[], %(days_overdue)s::int[], %(amount_residual)s::numeric[],
                                 %(level_id)s::int[]) AS line""",
                uid=uid,
                now=now,
                **columns,
            )
        )
        self.env.invalidate_all()
        actions = self.browse(action_ids)
        actions.check_access("create")
        return actions

    # ------------------------------------------------------------------
    # Review
    # ------------------------------------------------------------------

    def _filter_executable(self):
        """The actions the current user may execute: validation levels are for managers."""
        if self.env.user.has_group("recouvrement_creances.group_recouvrement_manager"):
            return self
        return self.filtered(lambda action: not action.level_id.needs_validation)

    def _filter_unattended(self):
        """The proposed actions the daily run executes on its own: no validation needed, and a customer whose
        follow-ups are automatic (a manual customer's wait for someone)."""
        proposed = self.search([("id", "in", self.ids), ("state", "=", "proposed"), ("needs_validation", "=", False)])
        manual = proposed.partner_id._collection_manual()
        return proposed.filtered(lambda action: action.partner_id not in manual)

    def _check_proposed(self):
        """Refuse, saying why, to execute actions that are not proposed any more."""
        done = self.filtered(lambda action: action.state != "proposed")
        if done:
            states = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "Only proposed collection actions can be executed; these are not proposed any more: %(actions)s.",
                    actions="; ".join(f"{action.display_name} ({states[action.state]})" for action in done),
                )
            )

    def _check_executable(self):
        self._check_proposed()
        if self - self._filter_executable():
            raise AccessError(
                self.env._("Only a collection manager may execute actions of levels that need validation.")
            )
        problems = self._get_execution_problems()
        if problems:
            raise UserError(
                self.env._("These actions cannot be executed:\n%(problems)s", problems="\n".join(problems.values()))
            )

    def _get_execution_problems(self):
        """{action: what it lacks, as a sentence} for those of these actions that cannot be executed: a letter
        without what it must print, or penalties to show that cannot be computed (a missing rate). Checked
        before anything is rendered or sent."""
        missing = {action: action._letter_missing() for action in self.filtered(lambda a: a.channel in LETTERS)}
        for action, errors in self._penalty_errors().items():
            missing.setdefault(action, []).extend(errors)
        return {
            action: self.env._(
                "%(partner)s: %(missing)s.",
                partner=action.partner_id.display_name,
                missing="; ".join(error.rstrip(".") for error in errors),
            )
            for action, errors in missing.items()
            if errors
        }

    def _shows_penalties(self):
        """Whether this action's email, letter or case claims the penalties: a formal notice, an escalation, or a
        level that shows them."""
        self.ensure_one()
        return self.channel in ("registered_letter", "escalation") or (
            self.level_id.charge_penalties and self.channel in ("email", "letter")
        )

    def _penalty_errors(self):
        """{action: [why its penalties cannot be computed]} for those of these actions that show them, computed
        on each action's date for all their invoices at once."""
        errors = {}
        for date, actions in self.filtered(lambda a: a._shows_penalties()).grouped("date").items():
            figures = actions.line_ids.filtered(lambda line: not line.excluded).move_id._collection_penalty_figures(
                date
            )
            for action in actions:
                found = {
                    figures[line.move_id]["error"]
                    for line in action.line_ids
                    if not line.excluded and figures.get(line.move_id, {}).get("error")
                }
                if found:
                    errors[action] = sorted(found)
        return errors

    def action_execute(self):
        """Execute the selected proposed actions (review screen)."""
        self.company_id._collection_lock(wait=False)
        self._check_proposed()
        for run, actions in self.grouped("run_id").items():
            if run:
                run._execute_actions(actions)
            else:
                actions._check_executable()
                actions._execute()
        return True

    def action_cancel(self):
        """Open the wizard that cancels the selected proposed actions, with a reason."""
        return (
            self.env["recouvrement.exclude.wizard"]
            .with_context(default_action_ids=self.filtered(lambda a: a.state == "proposed").ids)
            ._get_records_action(name=self.env._("Exclude from the Run"), target="new")
        )

    def _cancel(self, reason):
        if self.filtered(lambda action: action.state != "proposed"):
            raise UserError(self.env._("Only proposed collection actions can be cancelled."))
        if not self.env.user.has_group("recouvrement_creances.group_recouvrement_manager"):
            raise AccessError(self.env._("Only a collection manager may cancel a proposed action."))
        self.sudo().write({"state": "cancelled", "exclusion_reason": reason})
        self._message_log_batch(
            bodies={action.id: self.env._("Excluded from the run: %(reason)s", reason=reason) for action in self}
        )
        self.run_id._update_state()

    # ------------------------------------------------------------------
    # Execution
    # ------------------------------------------------------------------

    def _execute(self):
        """Execute proposed actions, grouped by channel, then log them and move the invoices' levels.

        Access was checked by the caller (_check_executable): the engine writes as superuser, the
        author of the messages and the executing user stay the current user.
        """
        user = self.env.user
        actions = self.sudo()._refresh_before_execution()
        for channel, channel_actions in actions.grouped("channel").items():
            getattr(channel_actions, f"_execute_{channel}")()
        actions.filtered(lambda a: a.state == "proposed").write({"state": "done"})
        actions.write({"done_date": fields.Datetime.now(), "done_user_id": user.id})
        actions._log_in_chatters()
        actions.line_ids.move_id._collection_sync_levels()
        actions._seal_executed()

    def _refresh_before_execution(self):
        """An action shows the invoices as they are when it is executed: what was paid since the proposal
        is left out, and an action with nothing left to claim is cancelled. Returns the actions to execute."""
        residuals = dict(
            self.env["account.move.line"]._read_group(
                [
                    ("move_id", "in", self.line_ids.move_id.ids),
                    ("account_type", "=", "asset_receivable"),
                    ("reconciled", "=", False),
                ],
                ["move_id"],
                ["amount_residual_currency:sum"],
            )
        )
        paid_reason = self.env._("Paid since the proposal")
        held = self.line_ids.move_id._collection_exclusion_reasons(fields.Date.context_today(self))
        for line in self.line_ids.filtered(lambda line: not line.excluded):
            residual = residuals.get(line.move_id, 0.0)
            if line.currency_id.is_zero(residual):
                line.write({"excluded": True, "exclusion_reason": paid_reason})
            elif line.move_id in held:
                reason = self.env._("%(reason)s since the proposal", reason=held[line.move_id])
                line.write({"excluded": True, "exclusion_reason": reason})
            elif line.currency_id.compare_amounts(residual, line.amount_residual):
                line.amount_residual = residual
        empty = self.filtered(
            lambda a: not a.line_ids.filtered(lambda line: not line.excluded and line.amount_residual > 0)
        )
        for action in empty:
            reason = action.line_ids.filtered("exclusion_reason")[-1:].exclusion_reason or paid_reason
            action.write({"state": "cancelled", "exclusion_reason": reason})
        remaining = self - empty
        return remaining - remaining._drop_levels_had()

    def _drop_levels_had(self):
        """Take off these actions' invoices the levels they already have through another action, done or waiting
        to be sent (a run proposed from an older snapshot, a second run of the same day): each invoice gets each
        level once, whatever runs were proposed. The other channels of the same step (same run and debtor) are
        not another action. An action left without any level to give is cancelled. Returns the cancelled ones."""
        lines = self.line_ids.filtered(lambda line: line.level_id and not line.excluded)
        if not lines:
            return self.browse()
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """SELECT DISTINCT ON (line.id) line.id, other.action_id
                     FROM recouvrement_action_line line
                     JOIN recouvrement_action action ON action.id = line.action_id
                     JOIN recouvrement_level level ON level.id = line.level_id
                     JOIN recouvrement_action_line other ON other.move_id = line.move_id AND NOT other.excluded
                     JOIN recouvrement_action other_action ON other_action.id = other.action_id
                     JOIN recouvrement_level other_level ON other_level.id = other.level_id
                    WHERE line.id IN %s
                      AND other_action.state IN ('pending', 'done')
                      AND other_level.offset_days >= level.offset_days
                      AND NOT (other_action.run_id IS NOT DISTINCT FROM action.run_id
                               AND other_action.partner_id = action.partner_id)
                 ORDER BY line.id, other_action.id""",
                tuple(lines.ids),
            )
        )
        if not rows:
            return self.browse()
        Line = self.env["recouvrement.action.line"]
        had = {Line.browse(line_id): self.browse(action_id) for line_id, action_id in rows}
        for action, action_lines in Line.union(*had).grouped("action_id").items():
            action._message_log(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "Levels already had, not given again: %(lines)s.",
                    lines="; ".join(
                        self.env._(
                            "%(invoice)s, %(level)s (action %(other)s)",
                            invoice=line.move_id.name,
                            level=line.level_id.name,
                            other=had[line].display_name,
                        )
                        for line in action_lines
                    ),
                )
            )
            action_lines.write({"level_id": False})
        duplicates = self.filtered(lambda a: not a.line_ids.filtered(lambda line: line.level_id and not line.excluded))
        duplicates.write(
            {"state": "cancelled", "exclusion_reason": self.env._("Already chased at this level by another action")}
        )
        return duplicates

    @api.depends("line_ids.amount_residual", "line_ids.days_overdue", "line_ids.excluded")
    def _compute_amount_overdue(self):
        for action in self:
            action.amount_overdue = action.currency_id.round(
                sum(
                    line.amount_residual
                    for line in action.line_ids
                    if not line.excluded and line.amount_residual > 0 and line.days_overdue > 0
                )
            )

    def _schedule_activity(self, default_type_xmlid, summary, note=None):
        """One activity per action for its responsible, written in the responsible's language.

        :param summary: function(action) -> the activity's summary
        :param note: optional function(action) -> the activity's note
        """
        default_type = self.env.ref(default_type_xmlid)
        vals_list = []
        for action in self:
            user = action._responsible_user()
            localized = action.with_context(lang=user.lang)
            vals_list.append(
                {
                    "res_model_id": self.env["ir.model"]._get_id(self._name),
                    "res_id": action.id,
                    "activity_type_id": (action.level_id.activity_type_id or default_type).id,
                    "user_id": user.id,
                    "date_deadline": action.date,
                    "summary": summary(localized),
                    "note": note(localized) if note else False,
                }
            )
        self.env["mail.activity"].create(vals_list)

    def _responsible_user(self):
        """The debtor's collector, else the level's responsible, else its salesperson, else the user running
        the action (or, for the daily cron, the first collection manager of the company)."""
        self.ensure_one()
        partner = self.partner_id.with_company(self.company_id)
        agents = self.env.ref("recouvrement_creances.group_recouvrement_agent").all_user_ids
        user = next(
            (
                u
                for u in (partner.collection_user_id, self.level_id.activity_user_id, partner.user_id)
                if u and u in agents
            ),
            None,
        )
        if user:
            return user
        if not self.env.user._is_superuser() and not self.env.user.share:
            return self.env.user
        return (
            self.env.ref("recouvrement_creances.group_recouvrement_manager").user_ids.filtered(
                lambda u: self.company_id in u.company_ids and not u.share and not u._is_superuser()
            )[:1]
            or self.env.user
        )

    def _message_track(self, fields_iter, initial_values_dict):
        """Executing a run changes the state of thousands of actions at once: their tracking messages, Odoo's own,
        and their tracking values are created with one create each for all, instead of one per action."""
        deferred = []
        tracking = super(RecouvrementAction, self.with_context(collection_deferred_messages=deferred))._message_track(
            fields_iter, initial_values_dict
        )
        if deferred:
            commands = [values.pop("tracking_value_ids", None) or [] for values in deferred]
            messages = self.sudo()._message_create(deferred)
            self.env["mail.tracking.value"].sudo().create(
                [
                    dict(command[2], mail_message_id=message.id)
                    for message, message_commands in zip(messages, commands, strict=True)
                    for command in message_commands
                ]
            )
        return tracking

    def _message_create(self, values_list):
        deferred = self.env.context.get("collection_deferred_messages")
        if deferred is None:
            return super()._message_create(values_list)
        deferred.extend(values_list)
        return self.env["mail.message"].sudo()

    def _log_in_chatters(self):
        """Log each action in the chatter of its debtor and of its invoices (an email is kept in full in
        its action's chatter)."""
        partner_bodies, move_bodies = {}, {}
        for action in self:
            summary = action.with_context(lang=action._log_lang())._chatter_summary()
            partner_bodies[action.partner_id.id] = partner_bodies.get(action.partner_id.id, Markup()) + summary
            for line in action.line_ids.filtered(lambda line: not line.excluded):
                move_bodies[line.move_id.id] = move_bodies.get(line.move_id.id, Markup()) + summary
        # the collection log in the customers' and invoices' chatters is evidence: nobody may rewrite it
        logged = self.with_context(collection_evidence=True).env
        if partner_bodies:
            logged["res.partner"].browse(partner_bodies)._message_log_batch(bodies=partner_bodies)
        if move_bodies:
            logged["account.move"].browse(move_bodies)._message_log_batch(bodies=move_bodies)

    def _log_lang(self):
        """Internal logs speak the language of the user running the action, or the company's for the cron."""
        self.ensure_one()
        user = self.env.user
        return (user.lang if not user._is_superuser() else None) or self.company_id.partner_id.lang or user.lang

    def _chatter_summary(self):
        self.ensure_one()
        channels = dict(self._fields["channel"]._description_selection(self.env))
        body = self.env._(
            "Collection: %(level)s by %(channel)s, net due %(amount)s.",
            level=self.level_id.name,
            channel=channels[self.channel].lower(),
            amount=self.currency_id.format(self.amount_total),
        )
        if self.email_fallback:
            body += " " + (
                self.env._("The last reminder to %(address)s was not delivered: a letter replaces the email.",
                           address=self._recipient_address())
                if self._recipient_address()
                else self.env._("No email address: a letter replaces the email.")
            )  # fmt: skip
        return Markup("<p>%s</p>") % body
