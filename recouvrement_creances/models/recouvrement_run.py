from collections import defaultdict
from functools import partial

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.service.model import retrying
from odoo.tools import SQL, format_date
from odoo.tools.pdf import merge_pdf

from ..tools import action_level, action_totals, days_between, reached_level

DEFAULT_BATCH_SIZE = 1000


class RecouvrementRun(models.Model):
    _name = "recouvrement.run"
    _description = "Collection Run"
    _inherit = ["mail.thread", "mail.activity.mixin", "recouvrement.input.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name")
    date = fields.Date(required=True, default=fields.Date.context_today, readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True, readonly=True
    )
    partner_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        readonly=True,
        help="Limit the run to these customers; empty: every customer of the company.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("proposed", "Proposed"), ("done", "Done")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    is_automatic = fields.Boolean(string="Automatic", readonly=True)
    action_ids = fields.One2many("recouvrement.action", "run_id", string="Actions", readonly=True)
    action_count = fields.Integer(compute="_compute_action_counts")
    proposed_count = fields.Integer(string="To Review", compute="_compute_action_counts")
    executed_count = fields.Integer(string="Executed", compute="_compute_action_counts")
    amount_summary = fields.Char(
        string="To Collect",
        compute="_compute_amount_summary",
        help="What the debtors of this run owe, per currency, each invoice counted once: an invoice chased by "
        "email and by phone is one debt.",
    )
    execution_problems = fields.Text(
        compute="_compute_execution_problems",
        help="What the proposed actions lack to be executed: a letter's address, a penalty's rate, ...",
    )

    @api.depends("date")
    @api.depends_context("lang")
    def _compute_name(self):
        for run in self:
            run.name = self.env._("Collection run of %(date)s", date=format_date(self.env, run.date))

    def _compute_action_counts(self):
        counts = defaultdict(int)
        for run, state, count in self.env["recouvrement.action"]._read_group(
            [("run_id", "in", self.ids)], ["run_id", "state"], ["__count"]
        ):
            counts[run, state] = count
        for run in self:
            run.proposed_count = counts[run, "proposed"]
            run.executed_count = sum(counts[run, state] for state in ("pending", "done", "failed"))
            run.action_count = run.proposed_count + run.executed_count + counts[run, "cancelled"]

    def _compute_amount_summary(self):
        """Per currency: the net due of the invoices and credits the run's actions list (cancelled actions and
        excluded lines left out), each document once, and the number of invoices."""
        totals = defaultdict(lambda: defaultdict(list))
        for run, currency, _move, residual in self.env["recouvrement.action.line"]._read_group(
            [("action_id.run_id", "in", self.ids), ("action_id.state", "!=", "cancelled"), ("excluded", "=", False)],
            ["action_id.run_id", "action_id.currency_id", "move_id"],
            ["amount_residual:max"],
        ):
            totals[run][currency].append(residual)
        for run in self:
            run.amount_summary = (
                " · ".join(
                    self.env._(
                        "%(amount)s, %(count)s invoice(s)",
                        amount=currency.format(action_totals(residuals)[2]),
                        count=action_totals(residuals)[3],
                    )
                    for currency, residuals in sorted(totals[run].items(), key=lambda item: item[0].name)
                )
                or False
            )

    def _compute_execution_problems(self):
        for run in self:
            proposed = (
                run.action_ids.filtered(lambda action: action.state == "proposed") if run.state == "proposed" else ()
            )
            problems = proposed and proposed._get_execution_problems()
            run.execution_problems = "\n".join(problems.values()) if problems else False

    @api.constrains("date")
    def _check_date(self):
        today = fields.Date.context_today(self)
        for run in self:
            if run.date > today:
                raise ValidationError(
                    self.env._("A collection run cannot be dated in the future (%(date)s).", date=run.date)
                )

    # ------------------------------------------------------------------
    # Proposal
    # ------------------------------------------------------------------

    def action_propose(self):
        self.company_id._collection_lock(wait=False)
        self._propose()
        return True

    def _propose(self):
        """Propose the actions of these draft runs; the caller holds their companies' collection lock, so that
        the debtors pending in another run are all seen."""
        for run in self:
            if run.state != "draft":
                raise UserError(self.env._("The run “%(run)s” has already been proposed.", run=run.name))
            actions = self.env["recouvrement.action"]._create_proposals(run._prepare_action_vals_list())
            run.state = "proposed" if actions else "done"

    def _get_open_item_domain(self):
        """Open posted receivable lines of the run's company that collection may look at."""
        self.ensure_one()
        domain = [
            ("company_id", "=", self.company_id.id),
            ("parent_state", "=", "posted"),
            ("account_type", "=", "asset_receivable"),
            ("reconciled", "=", False),
            ("amount_residual_currency", "!=", 0),
            ("no_followup", "=", False),
            # plans, cases, disputes, promises…: whatever holds an invoice back on the run's date
            (
                "move_id",
                "not in",
                self.env["account.move"]._collection_held_ids(self.date, [("company_id", "=", self.company_id.id)]),
            ),
        ]
        if self.partner_ids:
            domain.append(("partner_id", "child_of", self.partner_ids.ids))
        return domain

    def _get_open_items(self):
        """One dict per open move and currency, read in one query (record rules apply): move_id,
        move_type, partner_id (the debtor), currency_id, residual (in that currency), due (the earliest
        open maturity: an invoice in installments is chased from its first late one) and level_offset (of the
        level already had)."""
        self.ensure_one()
        self.env.flush_all()
        query = self.env["account.move.line"]._search(self._get_open_item_domain())
        query.add_join("JOIN", "move", "account_move", SQL("move.id = account_move_line.move_id"))
        query.add_join("LEFT JOIN", "level", "recouvrement_level", SQL("level.id = move.collection_level_id"))
        query.add_join(
            "LEFT JOIN", "sending", SQL("(%s)", self._get_sending_levels_query()), SQL("sending.move_id = move.id")
        )
        query.groupby = SQL(
            "account_move_line.move_id, account_move_line.currency_id, move.id, level.offset_days, sending.offset_days"
        )
        return self.env.execute_query_dict(
            query.select(
                SQL(
                    """account_move_line.move_id, move.move_type, move.commercial_partner_id AS partner_id,
                       account_move_line.currency_id, SUM(account_move_line.amount_residual_currency) AS residual,
                       COALESCE(MIN(account_move_line.date_maturity), move.invoice_date_due, move.date) AS due,
                       GREATEST(level.offset_days, sending.offset_days) AS level_offset"""
                )
            )
        )

    def _get_sending_levels_query(self):
        """(move_id, offset_days): the highest level each invoice has in an action of the company still waiting to
        be sent (an email queued or retried). It is not the invoice's level yet, as it has not reached the
        debtor, but it is not proposed again while it may still go."""
        return SQL(
            """SELECT line.move_id, MAX(level.offset_days) AS offset_days
                 FROM recouvrement_action_line line
                 JOIN recouvrement_action action ON action.id = line.action_id
                 JOIN recouvrement_level level ON level.id = line.level_id
                WHERE action.state = 'pending' AND action.company_id = %s AND NOT line.excluded
             GROUP BY line.move_id""",
            self.company_id.id,
        )

    def _get_pending_debtors(self):
        """(partner id, currency id) pairs that already have actions awaiting review in another run."""
        self.ensure_one()
        return {
            (partner.id, currency.id)
            for partner, currency in self.env["recouvrement.action"]._read_group(
                [("company_id", "=", self.company_id.id), ("state", "=", "proposed"), ("run_id", "!=", self.id)],
                ["partner_id", "currency_id"],
            )
        }

    def _prepare_action_vals_list(self):
        """Actions to propose: one per debtor, currency and channel of the level reached."""
        self.ensure_one()
        by_debtor = defaultdict(list)
        for item in self._get_open_items():
            by_debtor[item["partner_id"], item["currency_id"]].append(item)
        partners = self.env["res.partner"].with_company(self.company_id).browse({key[0] for key in by_debtor})
        policies = partners._collection_policies()
        levels = {
            policy: [(level.offset_days, level) for level in policy._sorted_levels()]
            for policy in set(policies.values())
            if policy
        }
        partner_of = {partner.id: partner for partner in partners}  # records sharing one prefetch set
        currency_of = {currency.id: currency for currency in self.env["res.currency"].browse(c for _p, c in by_debtor)}
        facts = self._get_run_facts()
        pending = self._get_pending_debtors()
        vals_list = []
        for (partner_id, currency_id), items in by_debtor.items():
            policy = policies[partner_of[partner_id]]
            if not policy or (partner_id, currency_id) in pending:
                continue
            vals_list += self._prepare_debtor_action_vals(
                partner_of[partner_id], currency_of[currency_id], policy, levels[policy], items, facts
            )
        return vals_list

    def _get_run_facts(self):
        """What the proposal of every debtor reads, looked up once for the run: ``undeliverable`` (the addresses
        the last reminder could not reach)."""
        return {
            "undeliverable": self.env["recouvrement.action"]._undeliverable_addresses(self.company_id),
        }

    def _prepare_debtor_action_vals(self, partner, currency, policy, levels, items, facts):
        """Action values for one debtor and currency; ``levels`` are the policy's (offset, level) pairs and
        ``facts`` those of :meth:`_get_run_facts`.

        Each invoice line gets the level it newly reaches, once. The action itself reads at the highest level among
        the overdue invoices it lists, had or newly reached: a debtor's reminders never get milder."""
        debts, credits, new_offsets, overdue_offsets = [], [], [], []
        for item in items:
            if item["residual"] < 0:
                credits.append(self._prepare_line_vals(item, False))
                continue
            if item["move_type"] not in ("out_invoice", "out_receipt"):
                continue
            days = days_between(item["due"], self.date)
            new_level = reached_level(levels, days, item["level_offset"])
            if new_level or days > 0:
                debts.append(self._prepare_line_vals(item, new_level))
            if new_level:
                new_offsets.append(new_level.offset_days)
            if days > 0:
                overdue_offsets.append(new_level.offset_days if new_level else item["level_offset"])
        top_level = action_level(levels, new_offsets, overdue_offsets)
        if not top_level or partner._collection_is_blocked(self.date):
            return []
        if not self._is_above_minimum(policy, currency, debts + credits):
            return []
        recipient = partner._collection_recipient()
        return [
            self._prepare_action_vals(partner, currency, top_level, channel, recipient, debts + credits)
            for channel in self._get_action_channels(recipient, top_level, facts["undeliverable"])
        ]

    def _prepare_line_vals(self, item, level):
        return {
            "move_id": item["move_id"],
            "amount_residual": item["residual"],
            "date_due": item["due"],
            "days_overdue": days_between(item["due"], self.date),
            "level_id": level.id if level else False,
        }

    def _is_above_minimum(self, policy, currency, line_vals):
        net = sum(vals["amount_residual"] for vals in line_vals)
        if currency.compare_amounts(net, 0) <= 0:
            return False
        company_currency = self.company_id.currency_id
        if currency != company_currency:
            net = currency._convert(net, company_currency, self.company_id, self.date)
        return company_currency.compare_amounts(net, policy.minimum_amount) >= 0

    def _get_action_channels(self, recipient, level, undeliverable=()):
        """Channels of ``level`` for this debtor: email falls back to a letter when its recipient has no email, or
        when the last reminder to that address could not be delivered (``undeliverable``)."""
        channels = level._get_channels()
        address = recipient.email_normalized or recipient.email
        if "email" in channels and (not address or (recipient.id, address) in undeliverable):
            channels = [("letter" if channel == "email" else channel) for channel in channels]
        return list(dict.fromkeys(channels))

    def _prepare_action_vals(self, partner, currency, level, channel, recipient, line_vals):
        fallback = channel == "letter" and "email" in level._get_channels()
        return {
            "run_id": self.id,
            "company_id": self.company_id.id,
            "partner_id": partner.id,
            "currency_id": currency.id,
            "level_id": level.id,
            "channel": channel,
            "date": self.date,
            "email_fallback": fallback,
            "recipient_id": recipient.id,
            "line_ids": [fields.Command.create(vals) for vals in line_vals],
        }

    def _prepare_manual_action_vals(self, level, channels, give_level):
        """Action values of a follow-up sent by hand outside the schedule (the follow-up wizard), for the run's
        debtors: every open item, written with ``level``'s text, one action per currency and channel. Only with
        ``give_level`` do the invoices that reached ``level`` and do not have it yet get it."""
        self.ensure_one()
        by_debtor = defaultdict(list)
        for item in self._get_open_items():
            by_debtor[item["partner_id"], item["currency_id"]].append(item)
        partners = self.env["res.partner"].browse({partner_id for partner_id, _currency in by_debtor})
        currencies = self.env["res.currency"].browse({currency_id for _partner, currency_id in by_debtor})
        vals_list = []
        for (partner_id, currency_id), items in by_debtor.items():
            partner, currency = partners.browse(partner_id), currencies.browse(currency_id)
            line_vals = [
                self._prepare_line_vals(item, level if give_level and self._reaches(item, level) else False)
                for item in items
                if item["residual"] < 0 or item["move_type"] in ("out_invoice", "out_receipt")
            ]
            if currency.compare_amounts(sum(vals["amount_residual"] for vals in line_vals), 0) <= 0:
                continue
            recipient = partner._collection_recipient()
            vals_list += [
                self._prepare_action_vals(partner, currency, level, channel, recipient, line_vals)
                for channel in channels
            ]
        return vals_list

    def _reaches(self, item, level):
        """Whether the open invoice ``item`` has reached ``level`` on the run's date without having it yet."""
        return (
            item["residual"] > 0
            and days_between(item["due"], self.date) >= level.offset_days
            and (item["level_offset"] is None or item["level_offset"] < level.offset_days)
        )

    # ------------------------------------------------------------------
    # Execution
    # ------------------------------------------------------------------

    def action_execute(self):
        """Execute the proposed actions of these runs (the review screen's button)."""
        self.company_id._collection_lock(wait=False)
        for run in self:
            if run.state == "done":
                raise UserError(self.env._("The run “%(run)s” has already been executed.", run=run.name))
            if run.state == "draft":
                raise UserError(self.env._("Propose the run “%(run)s” before executing it.", run=run.name))
            run._execute_actions(run.action_ids.filtered(lambda a: a.state == "proposed"))
        return True

    def action_propose_and_execute(self):
        """Propose, then execute what the current user may execute."""
        self.action_propose()
        for run in self.filtered(lambda r: r.state == "proposed"):
            run._execute_actions(run.action_ids.filtered(lambda a: a.state == "proposed")._filter_executable())
        return True

    def _execute_actions(self, actions, commit=False):
        """Execute ``actions`` in batches. With ``commit`` (the daily run), what cannot be executed waits for a
        manager, and the batches are shared with the collection workers (see ``_execute_claimed_batches``).
        Otherwise the caller holds the company's collection lock for the whole transaction."""
        self.ensure_one()
        if commit:
            actions = self._leave_problems_to_review(actions)
        actions._check_executable()
        if commit:
            self._execute_claimed_batches(actions, timed=True)
            retrying(self._update_state, self.env)  # the workers finishing together: the run is done once
            return
        actions = actions.sorted("id")
        size = self._get_batch_size()
        for start in range(0, len(actions), size):
            actions[start : start + size]._execute()
            self.env.invalidate_all()  # what a batch read and wrote is not kept for the next ones
        self._update_state()

    def _leave_problems_to_review(self, actions):
        """Those of ``actions`` that can be executed unattended; what the others lack is logged on the run."""
        problems = actions._get_execution_problems()
        if problems:
            self._message_log(
                body=self.env._("Not executed, to be reviewed: %(problems)s", problems=" ".join(problems.values()))
            )
        return actions.filtered(lambda action: action not in problems)

    def _execute_claimed_batches(self, actions, timed=False):
        """Execute ``actions`` a batch at a time, each committed, side by side with the other workers executing them:
        each batch is claimed among those still proposed and not claimed by another worker. Resumes where an
        interrupted execution stopped.

        :param timed: once the time Odoo gives this call of a scheduled action is up, leave the rest to the workers,
            woken (a worker wakes itself too): a call stays within the time and CPU limits of Odoo's cron processes,
            and the daily run is not called again (it would log its problems again)
        """
        cron = self.env["ir.cron"]
        size = self._get_batch_size()
        left = len(actions)
        while True:
            if timed and not cron._commit_progress(remaining=left) and self._wake_workers():
                cron._commit_progress(remaining=0)  # the workers, woken, execute the rest
                return
            done = retrying(partial(self._execute_claimed_batch, actions.ids, size), self.env)
            if not done:
                cron._commit_progress(remaining=0)  # what is left, other workers hold
                return
            left = max(left - done, 0)
            cron._commit_progress(done, remaining=left)

    def _execute_claimed_batch(self, action_ids, size):
        """Claim up to ``size`` of ``action_ids`` still proposed that no other worker holds, execute them, and return
        how many were claimed. The claim holds the actions until the commit; the company's collection lock is shared
        with the other workers, and excludes a proposal or a manual execution meanwhile."""
        self.company_id._collection_share_lock()
        self.env["recouvrement.action"].flush_model(["state"])
        claimed = [
            action_id
            for (action_id,) in self.env.execute_query(
                SQL(
                    """SELECT id FROM recouvrement_action
                        WHERE id = ANY(%s) AND state = 'proposed'
                     ORDER BY id LIMIT %s FOR NO KEY UPDATE SKIP LOCKED""",
                    list(action_ids),
                    size,
                )
            )
        ]
        self.env["recouvrement.action"].browse(claimed)._execute()
        self.env.invalidate_all()  # what a batch read and wrote is not kept for the next ones
        return len(claimed)

    @api.model
    def _get_batch_size(self):
        param = self.env["ir.config_parameter"].sudo().get_param("recouvrement_creances.batch_size")
        return max(int(param or DEFAULT_BATCH_SIZE), 1)

    def _update_state(self):
        for run in self:
            if run.state == "proposed" and not run.action_ids.filtered(lambda a: a.state == "proposed"):
                run.state = "done"

    def action_print_letters(self):
        """One PDF of all the letters of this run, to print and post: the letters as they were rendered at
        execution, merged, each starting on a new page."""
        self.ensure_one()
        letters = self.action_ids.filtered("letter_attachment_id").sorted(lambda a: (a.partner_id.name or "", a.id))
        if not letters:
            raise UserError(self.env._("This run has no letter to print yet: letters are rendered when executed."))
        merged = self.env["ir.attachment"].create(
            {
                "name": self.env._("Letters %(run)s.pdf", run=self.name),
                "raw": merge_pdf([action.letter_attachment_id.raw for action in letters]),
                "mimetype": "application/pdf",
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        return {"type": "ir.actions.act_url", "url": f"/web/content/{merged.id}?download=true", "target": "self"}

    def action_open_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("recouvrement_creances.action_recouvrement_action")
        action.update(
            {
                "name": self.name,
                "domain": [("run_id", "=", self.id)],
                "context": {"search_default_group_partner": 1, "create": False},
            }
        )
        return action

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------

    @api.model
    def _cron_run_daily(self):
        """Daily: per company, propose the actions, execute those that need no validation, and give the
        managers an activity to review the others. Resumes without duplicates after an interruption. The
        collection workers (``_cron_execute``) are woken to execute the batches alongside."""
        today = fields.Date.context_today(self)
        companies = self.env["res.company"].search([("collection_auto_run", "=", True)])
        for company in companies:
            run = retrying(partial(self._cron_propose, company, today), self.env).with_company(company)
            self._wake_workers()
            self.env["ir.cron"]._commit_progress(remaining=len(companies))
            run._execute_actions(run.action_ids._filter_unattended(), commit=True)
            run._schedule_review_activity()
            self.env["ir.cron"]._commit_progress(1)

    @api.model
    def _cron_execute(self):
        """A collection worker: executes the batches of today's daily runs alongside the daily run and the other
        workers (each a scheduled action calling this method: duplicate it for more workers, on any server
        sharing the database)."""
        today = fields.Date.context_today(self)
        runs = self.search([("is_automatic", "=", True), ("state", "=", "proposed"), ("date", "=", today)])
        for run in runs:
            run.with_company(run.company_id)._execute_as_worker()

    def _execute_as_worker(self):
        """Take part in the execution of this daily run: its unattended actions that can be executed (the daily run
        logs the others for review)."""
        self.ensure_one()
        actions = self.action_ids._filter_unattended()
        problems = actions._get_execution_problems()
        self._execute_claimed_batches(actions.filtered(lambda action: action not in problems), timed=True)
        retrying(self._update_state, self.env)  # the workers finishing together: the run is done once

    @api.model
    def _wake_workers(self):
        """Trigger the collection workers, the scheduled actions that call ``_cron_execute``, and return them."""
        workers = (
            self.env["ir.cron"]
            .sudo()
            .search([("model_id.model", "=", self._name), ("code", "=", "model._cron_execute()")])
        )
        for worker in workers:
            worker._trigger()
        return workers

    @api.model
    def _cron_propose(self, company, today):
        """The daily run of ``company`` for ``today``: found, or created and proposed under the company's lock
        (waiting for a run in progress)."""
        company._collection_lock()
        run = self.search([("company_id", "=", company.id), ("date", "=", today), ("is_automatic", "=", True)], limit=1)
        if not run:
            run = self.with_company(company).create({"company_id": company.id, "is_automatic": True})
            run.with_company(company)._propose()
        return run

    def _schedule_review_activity(self):
        """An activity for each collection manager of the company, to review what the daily run leaves to them."""
        self.ensure_one()
        proposed = self.action_ids.filtered(lambda action: action.state == "proposed")
        to_review = len(proposed - proposed._filter_unattended())
        if not to_review or self.activity_ids:
            return
        managers = self.env.ref("recouvrement_creances.group_recouvrement_manager").all_user_ids.filtered(
            lambda user: self.company_id in user.company_ids and not user.share and not user._is_superuser()
        )
        for manager in managers:
            self.activity_schedule(
                "recouvrement_creances.mail_activity_review_run",
                user_id=manager.id,
                note=self.env._("%(count)s collection actions need your validation.", count=to_review),
            )
