import base64
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, float_repr, format_datetime
from odoo.tools.image import image_data_uri

from ..tools import action_totals
from ..tools.evidence import checksum
from ..tools.mail_delivery import failure_kind, retry_delay
from .recouvrement_level import CHANNELS

# What a user enters about a registered letter once sent: each change is tracked and sealed in the evidence chain,
# and a replaced acknowledgement scan is kept.
REGISTERED_FIELDS = {
    "registered_number",
    "registered_sent_date",
    "registered_ack_date",
    "registered_ack_scan",
    "registered_ack_scan_name",
    "registered_outcome",
}
# The only fields a user may write on an action (its note while it is proposed); everything else is written by the
# engine (as superuser).
USER_EDITABLE_FIELDS = {"note", *REGISTERED_FIELDS}
# The chatter fields a user may write on an action: its activities and followers, never its messages.
USER_THREAD_FIELDS = ("activity_", "message_follower_ids", "message_partner_ids", "message_is_follower")
LETTERS = ("letter", "registered_letter")
# Days a registered letter is taken to need to reach the debtor while its acknowledgement is unknown.
REGISTERED_DELIVERY_DAYS = 3
STATE_TRANSITIONS = {
    "proposed": {"pending", "done", "failed", "cancelled"},
    "pending": {"done", "failed"},
    "done": {"failed"},  # an email that bounces after delivery
    "failed": {"done"},  # an email resent successfully
    "cancelled": set(),
}
PORTAL_EVENTS = [
    ("payment", "Online Payment"),
    ("plan", "Payment Plan Proposed"),
    ("signature", "Payment Plan Signed"),
    ("dispute", "Dispute Declared"),
    ("dispute_message", "Dispute Message"),
    ("promise", "Promise to Pay"),
]
CALL_OUTCOMES = [
    ("reached", "Reached"),
    ("no_answer", "No Answer"),
    ("promise", "Promise to Pay"),
    ("plan", "Payment Plan Agreed"),
    ("dispute", "Dispute"),
    ("wrong_number", "Wrong Number"),
]


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
    channel = fields.Selection(
        [*CHANNELS, ("escalation", "Escalation"), ("portal", "Debtor Portal")], required=True, readonly=True
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
    amount_due = fields.Monetary(string="Invoiced Due", compute="_compute_amounts", store=True)
    amount_credit = fields.Monetary(string="Credits", compute="_compute_amounts", store=True)
    amount_total = fields.Monetary(string="Net Due", compute="_compute_amounts", store=True)
    invoice_count = fields.Integer(string="Number of Invoices", compute="_compute_amounts", store=True)
    amount_overdue = fields.Monetary(
        string="Total Overdue", compute="_compute_amount_overdue", help="What the invoices past their due date owe."
    )
    email_fallback = fields.Boolean(
        string="Letter instead of Email", readonly=True, help="Nobody has an email address: a letter is sent."
    )
    recipient_id = fields.Many2one("res.partner", readonly=True)
    mail_message_id = fields.Many2one("mail.message", string="Email", readonly=True, index="btree_not_null")
    mail_status = fields.Selection(
        [
            ("queued", "Waiting to be Sent"),
            ("retrying", "New Attempt Scheduled"),
            ("sent", "Sent"),
            ("bounced", "Bounced"),
            ("failed", "Failed"),
        ],
        compute="_compute_mail_status",
    )
    mail_retry_count = fields.Integer(
        string="New Attempts",
        readonly=True,
        help="Times the email was queued again after a failure of the mail server.",
    )
    mail_next_try = fields.Datetime(string="Next Attempt", readonly=True)
    mail_failed_address = fields.Char(
        string="Undeliverable Address",
        readonly=True,
        help="The address this email could not be delivered to: the next reminder to it goes by letter.",
    )
    done_date = fields.Datetime(string="Executed on", readonly=True)
    done_user_id = fields.Many2one("res.users", string="Executed by", readonly=True)
    call_outcome = fields.Selection(CALL_OUTCOMES, readonly=True)
    promise_id = fields.Many2one("recouvrement.promise", readonly=True)
    registered_number = fields.Char(
        string="Registered Letter Number", help="The LRAR number on the receipt.", tracking=True
    )
    registered_sent_date = fields.Date(string="Sent on", tracking=True)
    registered_ack_date = fields.Date(string="Acknowledgement of Receipt", tracking=True)
    registered_ack_scan = fields.Binary(string="Acknowledgement Scan", attachment=True)
    registered_ack_scan_name = fields.Char()
    registered_outcome = fields.Selection(
        [
            ("received", "Received"),
            ("unclaimed", "Returned: Notified, Not Claimed"),
            ("refused", "Returned: Refused"),
            ("unknown_address", "Returned: Unknown at this Address"),
        ],
        string="Delivery",
        tracking=True,
    )
    notice_deadline = fields.Date(
        string="Deadline",
        compute="_compute_notice_deadline",
        store=True,
        help="Deadline given by the formal notice: from the acknowledgement of receipt, or from the sending date "
        "plus 3 days while the acknowledgement is unknown.",
    )
    letter_attachment_id = fields.Many2one("ir.attachment", string="Letter (PDF)", readonly=True)
    case_id = fields.Many2one("recouvrement.case", string="Contentious Case", readonly=True, index="btree_not_null")
    exclusion_reason = fields.Char(readonly=True)
    error = fields.Text(readonly=True)
    execution_problem = fields.Char(
        string="Cannot Be Executed", compute="_compute_execution_problem", help="What a proposed action lacks."
    )
    note = fields.Html()
    portal_event = fields.Selection(PORTAL_EVENTS, string="Done on the Portal", readonly=True)
    portal_url = fields.Char(
        string="Debtor Portal Link", compute="_compute_portal_url", help="The debtor's page, sent in the reminders."
    )
    portal_ip = fields.Char(string="IP Address", readonly=True)

    _level_unless_portal = models.Constraint(
        "CHECK (level_id IS NOT NULL OR channel = 'portal')",
        "A collection action has a level, unless the debtor did it on the portal.",
    )

    @api.depends("registered_ack_date", "registered_sent_date", "date", "level_id.notice_deadline_days", "channel")
    def _compute_notice_deadline(self):
        for action in self:
            if action.channel != "registered_letter":
                action.notice_deadline = False
                continue
            received = action.registered_ack_date or fields.Date.add(
                action.registered_sent_date or action.date, days=REGISTERED_DELIVERY_DAYS
            )
            action.notice_deadline = fields.Date.add(received, days=action.level_id.notice_deadline_days)

    def _formal_notice_date(self):
        """When this registered letter put the debtor on notice, from which an individual owes legal interest:
        the acknowledgement of receipt when entered, else the sending date as corrected on the action, else the
        day it was executed."""
        self.ensure_one()
        return (
            self.registered_ack_date
            or self.registered_sent_date
            or (self.done_date and fields.Date.context_today(self, self.done_date))
            or self.date
        )

    @api.depends("partner_id", "level_id", "channel", "portal_event")
    def _compute_name(self):
        channels = dict(self._fields["channel"]._description_selection(self.env))
        events = dict(self._fields["portal_event"]._description_selection(self.env))
        for action in self:
            step = events.get(action.portal_event) if action.channel == "portal" else action.level_id.name
            action.name = f"{action.partner_id.name} – {step or ''} – {channels.get(action.channel, '')}"

    def _compute_portal_url(self):
        """The link to the debtor's page, without login: one per debtor and company, created when needed."""
        for company, actions in self.grouped("company_id").items():
            links = self.env["recouvrement.portal.access"].with_company(company)._for_partners(actions.partner_id)
            for action in actions:
                action.portal_url = links[action.partner_id.commercial_partner_id].url

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

    @api.depends("mail_message_id.notification_ids.notification_status", "mail_retry_count")
    def _compute_mail_status(self):
        for action in self:
            action.mail_status = action._mail_status_from_notifications()

    def _mail_notifications(self):
        self.ensure_one()
        return self.mail_message_id.notification_ids.filtered(lambda n: n.notification_type == "email")

    def _mail_status_from_notifications(self):
        """Where the email stands: queued, sent, bounced, failed for good, or failed for a reason of the mail
        server with attempts left (a new attempt is scheduled)."""
        if not self.mail_message_id:
            return False
        notifications = self._mail_notifications()
        statuses = set(notifications.mapped("notification_status"))
        if "bounce" in statuses:
            return "bounced"
        if statuses & {"exception", "canceled"}:
            kind = self._mail_failure()[0]
            return "retrying" if kind == "transient" and retry_delay(self.mail_retry_count) else "failed"
        if statuses and statuses <= {"sent", "pending"}:
            return "sent"
        return "queued"

    def _mail_failure(self):
        """(kind, reason) of this action's failed email: kind is 'transient' (the mail server), 'address' (the
        recipient's) or 'final'; reason is what the user reads."""
        self.ensure_one()
        failed = self._mail_notifications().filtered(
            lambda n: n.notification_status in ("exception", "bounce", "canceled")
        )
        if not failed:
            return None, False
        if "canceled" in failed.mapped("notification_status"):
            return "final", self.env._("Cancelled")
        kinds = {
            failure_kind("mail_bounce" if n.notification_status == "bounce" else n.failure_type, n.failure_reason)
            for n in failed
        }
        kind = next((kind for kind in ("address", "final") if kind in kinds), "transient")
        types = dict(failed._fields["failure_type"]._description_selection(self.env))
        reasons = {types.get(n.failure_type) or n.failure_reason for n in failed} - {False, None, ""}
        return kind, "; ".join(sorted(reasons)) or self.env._("Bounced")

    # ------------------------------------------------------------------
    # Evidence: immutability
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(vals.get("state", "proposed") != "proposed" for vals in vals_list):
            raise UserError(self.env._("A collection action is always created proposed."))
        return super().create(vals_list)

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

    def write(self, vals):
        if not self.env.su:
            self._check_user_write(vals)
        if "state" in vals:
            for action in self:
                if vals["state"] != action.state and vals["state"] not in STATE_TRANSITIONS[action.state]:
                    raise UserError(
                        self.env._(
                            "A collection action cannot go from “%(old)s” to “%(new)s”.",
                            old=action.state,
                            new=vals["state"],
                        )
                    )
        if "registered_ack_scan" in vals:
            self._keep_replaced_scans()
        result = super(RecouvrementAction, self.with_context(collection_evidence=True)).write(vals)
        executed = self.filtered(lambda action: action.state not in ("proposed", "cancelled"))
        if "call_outcome" in vals:
            # the call's time and caller replace the execution's: the action is sealed again, with its call
            self.env["recouvrement.evidence"]._seal(executed, "action")
            self.env["recouvrement.evidence"]._seal(executed, "call")
        if REGISTERED_FIELDS & vals.keys():
            self.env["recouvrement.evidence"]._seal(
                executed.filtered(lambda action: action.channel == "registered_letter"), "acknowledgement"
            )
        return result

    def _check_user_write(self, vals):
        """What a user may write on actions: the note of a proposed one, the registered letter's details, the
        activities and followers. The rest, and the note once executed, is evidence."""
        frozen = {name for name in vals.keys() - USER_EDITABLE_FIELDS if not name.startswith(USER_THREAD_FIELDS)}
        if frozen:
            raise UserError(
                self.env._(
                    "A collection action is evidence: only its note and its registered-letter details can be "
                    "changed by hand (refused: %(fields)s).",
                    fields=", ".join(sorted(frozen)),
                )
            )
        if "note" in vals and self.filtered(lambda action: action.state != "proposed"):
            raise UserError(
                self.env._(
                    "The note of an executed collection action is part of the evidence: add a note in its chatter "
                    "instead."
                )
            )

    def _keep_replaced_scans(self):
        """An acknowledgement of receipt replaced by another is kept beside the action, as evidence, under a name
        that says so: a correction adds a document and never overwrites one."""
        scans = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [("res_model", "=", self._name), ("res_id", "in", self.ids), ("res_field", "=", "registered_ack_scan")]
            )
        )
        for scan in scans:
            scan.write(
                {
                    "res_field": False,
                    "name": self.env._(
                        "Replaced on %(date)s: %(name)s",
                        date=fields.Date.to_string(fields.Date.context_today(self)),
                        name=scan.name,
                    ),
                    "collection_evidence": True,
                }
            )

    # ------------------------------------------------------------------
    # Evidence chain
    # ------------------------------------------------------------------

    def _evidence_names(self, kind):
        """{action: how its evidence link of ``kind`` reads}."""
        kinds = dict(self.env["recouvrement.evidence"]._fields["kind"]._description_selection(self.env))
        return {action: f"{kinds[kind]}: {action.display_name} ({action.date})" for action in self}

    def _evidence_content(self, kind):
        """{action: what its evidence link of ``kind`` seals}, JSON values: see the ``_evidence_content_*``."""
        return getattr(self, f"_evidence_content_{kind}")()

    def _evidence_content_action(self):
        """An executed action: the debtor, the step, the invoices with what they owed, the amounts, when and by
        whom, and the checksums of its email (body, subject, date, author, recipients, attachments), of its letter
        and of what the debtor wrote on the portal."""
        lines = defaultdict(list)
        for line in (
            self.env["recouvrement.action.line"]
            .sudo()
            .search_fetch(
                [("action_id", "in", self.ids)],
                ["action_id", "move_id", "date_due", "days_overdue", "amount_residual", "level_id", "excluded"],
                order="id",
            )
        ):
            digits = line.action_id.currency_id.decimal_places
            lines[line.action_id].append(
                [line.move_id.id, str(line.date_due), line.days_overdue, float_repr(line.amount_residual, digits),
                 line.level_id.id, line.excluded]
            )  # fmt: skip
        return {
            action: {
                "company": action.company_id.id,
                "partner": action.partner_id.id,
                "currency": action.currency_id.id,
                "level": action.level_id.id,
                "channel": action.channel,
                "date": str(action.date),
                "done": [str(action.done_date), action.done_user_id.id],
                "recipient": action.recipient_id.id,
                "fallback": action.email_fallback,
                "total": float_repr(action.amount_total, action.currency_id.decimal_places),
                "lines": lines[action],
                "email": action._evidence_email(),
                "letter": checksum(action.letter_attachment_id.raw),
                "portal": [action.portal_event, action.portal_ip, checksum(action.note)]
                if action.portal_event
                else None,
            }
            for action in self
        }

    def _evidence_email(self):
        self.ensure_one()
        message = self.mail_message_id.sudo()
        if not message:
            return None
        return {
            "body": checksum(str(message.body or "")),
            "subject": message.subject,
            "date": str(message.date),
            "author": message.author_id.id,
            "recipients": sorted(message.partner_ids.ids),
            "attachments": sorted(checksum(attachment.raw) or "" for attachment in message.attachment_ids),
        }

    def _evidence_content_call(self):
        """A call logged: its outcome, its note, when and by whom, the promise it brought."""
        return {
            action: {
                "outcome": action.call_outcome,
                "note": checksum(str(action.note or "")),
                "done": [str(action.done_date), action.done_user_id.id],
                "promise": action.promise_id.id,
            }
            for action in self
        }

    def _evidence_content_acknowledgement(self):
        """A registered letter's details as entered: number, sending, receipt, outcome and the scan."""
        return {
            action: {
                "number": action.registered_number or None,
                "sent": str(action.registered_sent_date),
                "received": str(action.registered_ack_date),
                "outcome": action.registered_outcome or None,
                "scan": checksum(action.registered_ack_scan),
            }
            for action in self
        }

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Collection actions are evidence and cannot be deleted: cancel them instead."))

    # ------------------------------------------------------------------
    # Review
    # ------------------------------------------------------------------

    def _filter_executable(self):
        """The actions the current user may execute: validation levels are for managers."""
        if self.env.user.has_group("recouvrement_creances.group_recouvrement_manager"):
            return self
        return self.filtered(lambda action: not action.level_id.needs_validation)

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

    def _letter_missing(self):
        """What this letter lacks: the debtor's postal address, the company's bank account (payment
        instructions), the SIREN/SIRET of a French company."""
        self.ensure_one()
        partner, company = self.partner_id, self.company_id
        missing = []
        if not (partner.street and partner.zip and partner.city):
            missing.append(self.env._("no complete postal address (street, zip, city)"))
        if not company.partner_id.bank_ids:
            missing.append(
                self.env._("%(company)s has no bank account for the payment instructions", company=company.name)
            )
        if company.country_id.code == "FR" and not company.company_registry:
            missing.append(self.env._("%(company)s has no SIREN/SIRET", company=company.name))
        return missing

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

    def _seal_executed(self):
        """Seal these just executed actions in their company's evidence chain (and a registered letter's details)."""
        Evidence = self.env["recouvrement.evidence"]
        Evidence._seal(self.filtered(lambda action: action.state != "cancelled"), "action")
        Evidence._seal(self.filtered(lambda action: action.channel == "registered_letter"), "acknowledgement")

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
        handed_reason = self.env._("In a payment plan or a contentious case since the proposal")
        handed = self.line_ids.move_id.filtered(
            lambda move: move.collection_case_id
            or move.collection_payment_plan_ids.filtered(lambda plan: plan.state == "active")
        )
        for line in self.line_ids.filtered(lambda line: not line.excluded):
            residual = residuals.get(line.move_id, 0.0)
            if line.currency_id.is_zero(residual):
                line.write({"excluded": True, "exclusion_reason": paid_reason})
            elif line.move_id in handed:
                line.write({"excluded": True, "exclusion_reason": handed_reason})
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

    def _execute_email(self):
        """Queue the emails of these actions, one batch per template, through Odoo's mass mailing
        composer: rendered together, each kept as a message in its action's chatter, with a
        notification per recipient that follows its delivery (sent, bounced)."""
        self.line_ids.move_id._collection_ensure_access_tokens()
        for template, actions in self.grouped(lambda action: action.level_id.mail_template_id).items():
            mails = actions._send_mails(template)
            message_of = {mail.res_id: mail.mail_message_id for mail in mails}
            for action in actions:
                action.write({"state": "pending", "mail_message_id": message_of[action.id].id})
        self.filtered(lambda action: action.level_id.attach_statement)._attach_statements()
        # A recipient without a valid address fails at once, before anything is sent.
        self._sync_mail_status()

    def _attach_statements(self):
        """Join the debtor's statement of account (PDF) to the queued email of each of these actions."""
        report = self.env.ref("recouvrement_creances.action_report_collection_statement")
        for action in self:
            partner = action.partner_id.with_company(action.company_id)
            pdf, _type = (
                report.with_company(action.company_id)
                .with_context(lang=partner.lang)
                ._render_qweb_pdf(report.report_name, partner.ids)
            )
            attachment = (
                self.env["ir.attachment"]
                .with_context(collection_evidence=True)
                .create(
                    {
                        "name": action.with_context(lang=partner.lang).env._(
                            "Statement %(partner)s.pdf", partner=partner.name
                        ),
                        "raw": pdf,
                        "mimetype": "application/pdf",
                        "res_model": "mail.message",
                        "res_id": action.mail_message_id.id,
                    }
                )
            )
            action.mail_message_id.attachment_ids = [fields.Command.link(attachment.id)]

    def collection_mail_details(self):
        """The part shared by every collection email (invoices, total, how to pay), for the templates.

        A QWeb view, compiled once, rather than a call inside each template's body: Odoo compiles a
        template's body again for every email."""
        self.ensure_one()
        return self.env["ir.qweb"]._render(
            "recouvrement_creances.collection_mail_body", {"object": self, "penalties": self._penalties_to_show()}
        )

    def _sections(self):
        """The invoices of this action as its email and letter list them: the overdue ones, then those not yet
        due (*À échoir*), then the credits, each with its total. [{key, lines, total}] of the sections not
        empty; the net of them all is the action's total."""
        self.ensure_one()
        lines = self.line_ids.filtered(lambda line: not line.excluded).sorted(lambda line: (line.date_due, line.id))
        keys = {"overdue": [], "not_due": [], "credit": []}
        for line in lines:
            key = "credit" if line.amount_residual < 0 else "overdue" if line.days_overdue > 0 else "not_due"
            keys[key].append(line)
        Line = self.env["recouvrement.action.line"]
        return [
            {
                "key": key,
                "lines": Line.union(*found),
                "total": self.currency_id.round(sum(line.amount_residual for line in found)),
            }
            for key, found in keys.items()
            if found
        ]

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

    def _penalties_to_show(self):
        """{invoice: penalty figures on the action's date} when its level shows the penalties, else {}."""
        self.ensure_one()
        if not self.level_id.charge_penalties:
            return {}
        return self.line_ids.filtered(lambda line: not line.excluded).move_id._collection_penalty_figures(self.date)

    def _send_mails(self, template):
        composer = (
            self.env["mail.compose.message"]
            .with_context(mail_notify_force_send=False)
            .create(
                {
                    "composition_mode": "mass_mail",
                    "model": self._name,
                    "res_ids": self.ids,
                    "template_id": template.id,
                    "email_layout_xmlid": "mail.mail_notification_light",
                    "auto_delete_keep_log": True,
                    "force_send": False,
                }
            )
        )
        return composer._action_send_mail()[0]

    def _execute_phone(self):
        self._schedule_activity(
            "recouvrement_creances.mail_activity_collection_call",
            lambda action: action.env._("Call %(partner)s", partner=action.partner_id.name),
            note=lambda action: action._call_note(),
        )
        self.write({"state": "pending"})

    def _execute_letter(self):
        self._render_letters()
        self._schedule_activity(
            "recouvrement_creances.mail_activity_collection_letter",
            lambda action: action.env._("Send the letter to %(partner)s", partner=action.partner_id.name),
        )

    def _execute_registered_letter(self):
        self.registered_sent_date = fields.Date.context_today(self)
        self._execute_letter()

    def _render_letters(self):
        """Render each action's letter, one PDF per action (the unpatched wkhtmltopdf cannot render several
        documents at once), and keep it on the action: the evidence is exactly what was sent."""
        report = self.env.ref("recouvrement_creances.action_report_collection_letter")
        for action in self:
            pdf, _type = report.with_context(lang=action.partner_id.lang)._render_qweb_pdf(
                report.report_name, action.ids
            )
            action.letter_attachment_id = (
                self.env["ir.attachment"]
                .with_context(collection_evidence=True)
                .create(
                    {
                        "name": action._letter_filename(),
                        "raw": pdf,
                        "mimetype": "application/pdf",
                        "res_model": self._name,
                        "res_id": action.id,
                    }
                )
            )

    # ------------------------------------------------------------------
    # Letter content (report/recouvrement_letter_templates.xml)
    # ------------------------------------------------------------------

    def _letter_values(self):
        """What the letter of this action prints, computed once for the template: its sections (see
        :meth:`_sections`), each row with the penalties and indemnity of an overdue invoice when the letter shows
        them, and what a formal notice claims: the overdue invoices net of the credits, plus their penalties and
        indemnities."""
        self.ensure_one()
        sections = self._sections()
        formal = self.channel == "registered_letter"
        show_penalties = self._shows_penalties()
        overdue = self.env["recouvrement.action.line"].union(
            *(section["lines"] for section in sections if section["key"] == "overdue")
        )
        figures = overdue.move_id._collection_penalty_figures(self.date) if show_penalties else {}
        for section in sections:
            section["rows"] = []
            for line in section["lines"]:
                figure = figures.get(line.move_id, {}) if line in overdue else {}
                section["rows"].append(
                    {"line": line, "penalty": figure.get("penalty", 0.0), "indemnity": figure.get("indemnity_due", 0.0)}
                )
        rows = [row for section in sections for row in section["rows"]]
        penalties = self.currency_id.round(sum(row["penalty"] for row in rows))
        indemnities = self.currency_id.round(sum(row["indemnity"] for row in rows))
        credits = sum(section["total"] for section in sections if section["key"] == "credit")
        principal = self.currency_id.round(max(self.amount_overdue + credits, 0.0))
        total = self.currency_id.round(principal + penalties + indemnities)
        b2b = self.policy_id.customer_kind == "b2b"
        return {
            "sections": sections,
            "invoice_count": len(rows),
            "formal": formal,
            # an individual owes interest only from the formal notice: no empty column before
            "show_penalties": show_penalties and (b2b or bool(penalties)),
            "b2b": b2b,
            "penalties": penalties,
            "indemnities": indemnities,
            "principal": principal,
            "total": total,
            "total_in_words": self.currency_id._collection_amount_in_words(total),
            "place_date": self.company_id._collection_place_date(self.date),
            "bank": self.company_id.partner_id.bank_ids[:1],
            "payment_reference": ", ".join(filter(None, overdue.mapped("payment_reference"))),
            "pay_url": self.portal_url,
            "signatory": self._responsible_user(),
        }

    def _letter_qr_code(self, url):
        """The payment link as a QR code image (data URI), embedded: no server needed to print it."""
        png = self.env["ir.actions.report"].barcode("QR", url, width=180, height=180)
        return image_data_uri(base64.b64encode(png))

    def _letter_filename(self):
        self.ensure_one()
        return f"{self.date} {self.partner_id.name} {self.level_id.name}.pdf".replace("/", "-")

    def _execute_escalation(self):
        """Hand the invoices over to a contentious case (legal procedure or agency, as the level says); the
        responsible is asked to decide what comes next."""
        for action in self:
            # the debts due, not the credits nor the invoices not due yet
            moves = action.line_ids.filtered(lambda line: not line.excluded).move_id.filtered(
                lambda m, on_date=action.date: m.move_type == "out_invoice"
                and m.amount_residual > 0
                and m.invoice_date_due
                and m.invoice_date_due < on_date
                and not m.collection_case_id
            )
            if moves:
                case_type = "agency" if action.level_id.escalation == "agency" else "legal"
                action.case_id = self.env["recouvrement.case"]._open_for_moves(moves, case_type, action.date)
        self._schedule_activity(
            "recouvrement_creances.mail_activity_collection_escalation",
            lambda action: action.env._(
                "Decide how to pursue the case %(case)s of %(partner)s",
                case=action.case_id.name or "",
                partner=action.partner_id.name,
            ),
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

    def _call_note(self):
        self.ensure_one()
        phones = ", ".join(filter(None, {self.partner_id.phone, self.partner_id._collection_recipient().phone}))
        return Markup("<p>%s</p>") % self.env._(
            "Phone: %(phones)s. Net due: %(amount)s.",
            phones=phones or self.env._("none"),
            amount=self.currency_id.format(self.amount_total),
        )

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

    def _sync_mail_status(self):
        """Follow the real outcome of the email. Sent, the action is done and its invoices have their level. While
        the mail server fails, the action waits for the next attempt. A final failure (a bad address, a bounce,
        the attempts exhausted) fails the action: the level is not had, the next run chases the debtor again,
        by letter when the address is the problem, and the collector is told."""
        delivered, failed = self.browse(), self.browse()
        for action in self.filtered(lambda a: a.channel == "email" and a.state in ("pending", "done", "failed")):
            status = action._mail_status_from_notifications()
            if status == "sent" and action.state != "done":
                action.write({"state": "done", "error": False, "mail_failed_address": False, "mail_next_try": False})
                delivered |= action
            elif status in ("bounced", "failed") and action.state != "failed":
                kind, reason = action._mail_failure()
                action.write(
                    {
                        "state": "failed",
                        "error": reason,
                        "mail_next_try": False,
                        "mail_failed_address": kind == "address" and action._recipient_address(),
                    }
                )
                failed |= action
        (delivered | failed).line_ids.move_id._collection_sync_levels()
        failed._warn_mail_failed()

    def _warn_mail_failed(self):
        """Tell the collector, on the action, that its reminder did not reach the debtor, and log it."""
        self._schedule_activity(
            "recouvrement_creances.mail_activity_collection_mail_failed",
            lambda action: action.env._(
                "Reminder not delivered to %(partner)s: %(reason)s", partner=action.partner_id.name, reason=action.error
            ),
            note=lambda action: Markup("<p>%s</p>")
            % (
                action.env._("The next run sends it again by letter: the email address is not valid.")
                if action.mail_failed_address
                else action.env._("The next run sends it again by email.")
            ),
        )
        bodies = {}
        for action in self:
            body = Markup("<p>%s</p>") % action.with_context(lang=action._log_lang()).env._(
                "Collection: the %(level)s email was not delivered (%(reason)s).",
                level=action.level_id.name,
                reason=action.error,
            )
            bodies[action.partner_id.id] = bodies.get(action.partner_id.id, Markup()) + body
        if bodies:
            self.env["res.partner"].with_context(collection_evidence=True).browse(bodies)._message_log_batch(
                bodies=bodies
            )

    def _schedule_mail_retry(self, mails):
        """Queue again these actions' ``mails`` that failed for a reason of the mail server, after the next delay
        of the back-off (5 minutes, then longer and longer, for more than a day), while attempts are left."""
        now = fields.Datetime.now()
        for action in self.filtered(lambda a: a.state == "pending"):
            delay = retry_delay(action.mail_retry_count)
            action_mails = mails.filtered(lambda mail, action=action: mail.mail_message_id == action.mail_message_id)
            if not delay or not action_mails:
                continue
            next_try = now + timedelta(minutes=delay)
            action_mails.write({"state": "outgoing", "scheduled_date": next_try})
            action.write({"mail_retry_count": action.mail_retry_count + 1, "mail_next_try": next_try})
            action._message_log(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "The mail server did not take the email (%(reason)s): new attempt on %(date)s.",
                    reason=action._mail_failure()[1],
                    date=format_datetime(self.env, next_try),
                )
            )
            self.env.ref("mail.ir_cron_mail_scheduler_action")._trigger(next_try)

    def _recipient_address(self):
        self.ensure_one()
        return self.recipient_id.email_normalized or self.recipient_id.email or False

    @api.model
    def _undeliverable_addresses(self, company):
        """{(recipient id, normalized email)} whose last collection email in ``company`` failed because of the
        address, with no email delivered to that recipient since."""
        failed = self._read_group(
            [("company_id", "=", company.id), ("channel", "=", "email"), ("state", "=", "failed"),
             ("mail_failed_address", "!=", False)],
            ["recipient_id", "mail_failed_address"],
            ["id:max"],
        )  # fmt: skip
        delivered = dict(
            self._read_group(
                [
                    ("company_id", "=", company.id),
                    ("channel", "=", "email"),
                    ("state", "=", "done"),
                    ("recipient_id", "in", [recipient.id for recipient, _address, _id in failed]),
                ],
                ["recipient_id"],
                ["id:max"],
            )  # fmt: skip
        )
        return {(recipient.id, address) for recipient, address, last in failed if last > delivered.get(recipient, 0)}

    # ------------------------------------------------------------------
    # Phone calls
    # ------------------------------------------------------------------

    def action_invoice_penalties(self):
        """Open *Invoice the Penalties* on this action's debtor and invoices."""
        self.ensure_one()
        return self.partner_id.action_collection_invoice_penalties() | {
            "context": {"active_model": self._name, "active_ids": self.ids}
        }

    def action_log_call(self):
        self.ensure_one()
        if self.channel != "phone" or self.state != "pending":
            raise UserError(self.env._("Only a scheduled phone call can get an outcome."))
        return (
            self.env["recouvrement.call.wizard"]
            .with_context(default_action_id=self.id)
            ._get_records_action(name=self.env._("Call Outcome"), target="new")
        )

    # ------------------------------------------------------------------
    # Debtor portal
    # ------------------------------------------------------------------

    @api.model
    def _log_portal(self, partner, event, content, moves=None, ip_address=None, currency=None):
        """Log what the debtor did on the portal as a done collection action of the current company: the
        invoices concerned with what they owed at that moment, the content and the IP address."""
        moves = moves or self.env["account.move"]
        today = fields.Date.context_today(self)
        action = self.sudo().create(
            {
                "company_id": self.env.company.id,
                "partner_id": partner.commercial_partner_id.id,
                "currency_id": (currency or moves.currency_id[:1] or self.env.company.currency_id).id,
                "channel": "portal",
                "portal_event": event,
                "portal_ip": ip_address,
                "date": today,
                "note": content,
                "line_ids": [
                    Command.create(
                        {
                            "move_id": move.id,
                            "date_due": move.invoice_date_due,
                            "days_overdue": max((today - move.invoice_date_due).days, 0)
                            if move.invoice_date_due
                            else 0,
                            "amount_residual": move.amount_residual_signed,
                        }
                    )
                    for move in moves
                ],
            }
        )
        action.write({"state": "done", "done_date": fields.Datetime.now(), "done_user_id": self.env.uid})
        action._seal_executed()
        return action
