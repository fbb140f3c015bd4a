"""The run's guarantees, proved the way they fail in production: each debtor chased once per step whatever runs
at the same time, a reminder that counts only once it has left, a tone that never gets milder.

The concurrency tests commit on the real database, through Odoo's RPC service, from two threads each with its
own cursor, then remove what they committed. The mail tests use a real SMTP server on a local port."""

import os
import threading
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from functools import partial
from unittest.mock import patch

from freezegun import freeze_time

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.exceptions import UserError, ValidationError
from odoo.service import model as rpc
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import html2plaintext, mute_logger

from odoo.addons.base.models.ir_mail_server import IrMail_Server

from ..tools.evidence import digest
from .common import RecouvrementCommon
from .smtp_server import LocalSmtpServer, free_port

# the debtors of the concurrency tests (330 reproduces the measure of the issue: RECOUVREMENT_CONCURRENT_DEBTORS)
CONCURRENT_DEBTORS = int(os.environ.get("RECOUVREMENT_CONCURRENT_DEBTORS") or 40)
# the tables where the concurrency tests commit, children first: what they add is removed after each test
COMMITTED_TABLES = (
    "recouvrement_evidence",
    "recouvrement_action_line",
    "recouvrement_action",
    "recouvrement_run",
    "recouvrement_portal_access",
    "recouvrement_credit_hold",
    "mail_activity",
    "mail_notification",
    "mail_mail",
    "mail_tracking_value",
    "mail_message",
    "mail_followers",
    "ir_attachment",
    "account_partial_reconcile",
    "account_move_line",
    "account_move",
    "res_users",
    "res_partner",
    "ir_cron_progress",
    "ir_cron_trigger",
)

CRONS = ("recouvrement_creances.ir_cron_recouvrement_daily", "recouvrement_creances.ir_cron_recouvrement_execute")


@tagged("post_install", "-at_install")
class TestConcurrentRuns(TransactionCase):
    """Two collection runs of one company at the same moment, as two managers, or a manager and the daily cron,
    would start them: each in its own thread, through Odoo's RPC service (the server side of a JSON-RPC call),
    with its own cursor, committing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.db = cls.env.cr.dbname

    def setUp(self):
        super().setUp()
        with self._committed() as env:
            self.watermarks = {}
            for table in COMMITTED_TABLES:
                env.cr.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
                self.watermarks[table] = env.cr.fetchone()[0]
            self.cron_schedules = {xmlid: env.ref(xmlid).read(["nextcall", "lastcall", "active"])[0] for xmlid in CRONS}
            self.batch_size = env["ir.config_parameter"].get_param("recouvrement_creances.batch_size")
            company = env.ref("base.main_company")
            self.company_id = company.id
            managers = [
                new_test_user(
                    env,
                    login,
                    groups="account.group_account_invoice,recouvrement_creances.group_recouvrement_manager",
                    company_id=company.id,
                    company_ids=company.ids,
                    lang="fr_FR",
                )
                for login in ("guarantee_manager_a", "guarantee_manager_b")
            ]
            self.managers = [(manager.id, manager.login + "x" * (8 - len(manager.login))) for manager in managers]
            self.debtor_ids = self._debtors_20_days_late(env, company, CONCURRENT_DEBTORS)
        self.addCleanup(self._remove_committed)

    @contextmanager
    def _committed(self):
        with self.registry.cursor() as cr:
            yield api.Environment(cr, SUPERUSER_ID, {})

    @staticmethod
    def _debtors_20_days_late(env, company, count):
        """``count`` business customers of ``company``, each with one invoice 20 days past its due date."""
        env = env(context={"allowed_company_ids": company.ids, "tracking_disable": True})
        partners = env["res.partner"].create(
            [
                {
                    "name": f"Débiteur concurrent {index:03d}",
                    "is_company": True,
                    "email": f"debiteur.concurrent.{index}@example.com",
                    "street": "1 place Bellecour",
                    "zip": "69002",
                    "city": "Lyon",
                    "country_id": env.ref("base.fr").id,
                }
                for index in range(count)
            ]
        )
        due = fields.Date.context_today(env["res.partner"]) - timedelta(days=20)
        invoices = env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "company_id": company.id,
                    "partner_id": partner.id,
                    "invoice_date": due - timedelta(days=30),
                    "invoice_date_due": due,
                    "invoice_line_ids": [
                        Command.create({"name": "Prestation", "price_unit": 500.0, "tax_ids": [Command.clear()]})
                    ],
                }
                for partner in partners
            ]
        )
        invoices.action_post()
        return partners.ids

    def _remove_committed(self):
        with self._committed() as env:
            for table in COMMITTED_TABLES:
                env.cr.execute(f"DELETE FROM {table} WHERE id > %s", [self.watermarks[table]])
            for xmlid, schedule in self.cron_schedules.items():
                env.ref(xmlid).write({key: schedule[key] for key in ("nextcall", "lastcall", "active")})
            env["ir.config_parameter"].set_param("recouvrement_creances.batch_size", self.batch_size)

    def _rpc(self, user, model, method, *args):
        """What a JSON-RPC call_kw of ``user`` does on the server, in the user's context as the web client sends
        it: Odoo's RPC service, with its own cursor, its retries on a serialization failure, and its commit."""
        uid, password = user
        context = {"lang": "fr_FR", "tz": "Europe/Paris", "allowed_company_ids": [self.company_id]}
        return rpc.dispatch("execute_kw", [self.db, uid, password, model, method, list(args), {"context": context}])

    def _at_the_same_time(self, *calls):
        """Run the ``calls`` in threads started together; [(result, error message)] in their order."""
        barrier = threading.Barrier(len(calls))
        outcomes = [None] * len(calls)

        def run(index, call):
            barrier.wait()
            try:
                outcomes[index] = (call(), None)
            except UserError as error:
                outcomes[index] = (None, error.args[0])

        threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=600)
        self.assertTrue(all(outcome for outcome in outcomes), "a thread did not finish")
        return outcomes

    def _new_run(self, user):
        return self._rpc(user, "recouvrement.run", "create", {"partner_ids": [Command.set(self.debtor_ids)]})

    def _chased(self):
        """{debtor id: [(level, channel, state, emails, mails)]} of the actions not cancelled of the test's debtors,
        read from the database: each action's email messages and queued mails are counted."""
        with self._committed() as env:
            env.cr.execute(
                """SELECT action.partner_id, level.name->>'en_US', action.channel, action.state,
                          (SELECT COUNT(*) FROM mail_message message
                            WHERE message.model = 'recouvrement.action' AND message.res_id = action.id
                              AND message.message_type = 'email_outgoing'),
                          (SELECT COUNT(*) FROM mail_mail mail
                             JOIN mail_message message ON message.id = mail.mail_message_id
                            WHERE message.model = 'recouvrement.action' AND message.res_id = action.id)
                     FROM recouvrement_action action
                     JOIN recouvrement_level level ON level.id = action.level_id
                    WHERE action.partner_id = ANY(%s) AND action.state != 'cancelled'""",
                [self.debtor_ids],
            )
            rows = env.cr.fetchall()
        chased = {}
        for partner_id, *action in rows:
            chased.setdefault(partner_id, []).append(tuple(action))
        return chased

    def test_two_managers_propose_and_execute_at_the_same_time(self):
        manager_a, manager_b = self.managers
        run_a, run_b = self._new_run(manager_a), self._new_run(manager_b)
        proposals = self._at_the_same_time(
            lambda: self._rpc(manager_a, "recouvrement.run", "action_propose", [run_a]),
            lambda: self._rpc(manager_b, "recouvrement.run", "action_propose", [run_b]),
        )
        refused = [error for _result, error in proposals if error]
        for error in refused:  # the second one, while the first was in progress
            self.assertIn("Une tournée de recouvrement de", error)
            self.assertIn("est en cours", error)
        chased = self._chased()
        self.assertEqual(len(chased), CONCURRENT_DEBTORS, "every debtor proposed")
        self.assertEqual(
            {partner: actions for partner, actions in chased.items() if len(actions) != 1},
            {},
            "proposed once, in one of the two runs",
        )

        def press_execute(user, runs):
            """A manager presses Execute on each run; a refusal is read, as a user would."""
            refusals = []
            for run in runs:
                try:
                    self._rpc(user, "recouvrement.run", "action_execute", [run])
                except UserError as error:
                    refusals.append(error.args[0])
            return refusals

        executions = self._at_the_same_time(
            lambda: press_execute(manager_a, (run_a, run_b)), lambda: press_execute(manager_b, (run_b, run_a))
        )
        # whatever was refused for being in progress, a manager tries again
        retries = press_execute(manager_a, (run_a, run_b))
        for refusal in [refusal for refusals, _error in executions for refusal in refusals] + retries:
            self.assertRegex(refusal, "est en cours|a déjà été exécutée|Proposez la tournée")
        chased = self._chased()
        self.assertEqual(len(chased), CONCURRENT_DEBTORS)
        duplicates = {partner: actions for partner, actions in chased.items() if len(actions) != 1}
        self.assertEqual(duplicates, {}, "each debtor chased once")
        self.assertEqual(
            {actions[0] for actions in chased.values()},
            {("First reminder", "email", "pending", 1, 1)},
            "one email queued per debtor, waiting to be sent",
        )

    def test_a_manager_proposes_while_the_daily_cron_runs(self):
        manager, _other = self.managers

        def cron():
            with self._committed() as env:
                env.ref("recouvrement_creances.ir_cron_recouvrement_daily").method_direct_trigger()
            return True

        run = self._new_run(manager)
        self._at_the_same_time(cron, lambda: self._rpc(manager, "recouvrement.run", "action_propose", [run]))
        with self._committed() as env:
            proposed = env["recouvrement.run"].browse(run).state == "proposed"
        if proposed:  # the manager's run got some debtors first: the manager executes it
            self._rpc(manager, "recouvrement.run", "action_execute", [run])
        chased = self._chased()
        self.assertEqual(len(chased), CONCURRENT_DEBTORS)
        self.assertEqual({partner: actions for partner, actions in chased.items() if len(actions) != 1}, {})
        self.assertEqual({actions[0] for actions in chased.values()}, {("First reminder", "email", "pending", 1, 1)})

    def test_two_workers_execute_the_daily_run_at_the_same_time(self):
        """The daily run, proposed, is executed by two cron workers at once (the daily cron and the execution worker,
        as two servers' cron processes would run them: each in its own thread with its own cursor, committing batch
        after batch of two actions): each takes batches the other has not, every debtor is chased once with one
        email, and the evidence chain stays whole."""
        with self._committed() as env:
            env["ir.config_parameter"].set_param("recouvrement_creances.batch_size", 2)
            company = env["res.company"].browse(self.company_id)
            run = env["recouvrement.run"]._cron_propose(company, fields.Date.context_today(company))
            run_id = run.id

        def worker(xmlid):
            with self._committed() as env:
                env.ref(xmlid).method_direct_trigger()
            return True

        self._at_the_same_time(*(partial(worker, xmlid) for xmlid in CRONS))
        chased = self._chased()
        self.assertEqual(len(chased), CONCURRENT_DEBTORS)
        self.assertEqual({partner: actions for partner, actions in chased.items() if len(actions) != 1}, {})
        self.assertEqual({actions[0] for actions in chased.values()}, {("First reminder", "email", "pending", 1, 1)})
        with self._committed() as env:
            env.cr.execute(
                """SELECT cron.id, SUM(progress.done) FROM ir_cron_progress progress
                     JOIN ir_cron cron ON cron.id = progress.cron_id
                    WHERE progress.id > %s GROUP BY cron.id""",
                [self.watermarks["ir_cron_progress"]],
            )
            done = dict(env.cr.fetchall())
            workers = [env.ref(xmlid).id for xmlid in CRONS]
            self.assertTrue(all(done.get(cron) for cron in workers), f"both workers executed batches: {done}")
            self.assertEqual(env["recouvrement.run"].browse(run_id).proposed_count, 0, "nothing left unexecuted")
            # the chain's numbers and hashes run whole through the links added meanwhile (a record deleted by the
            # clean-up of a test run before on this database aside), and each executed action is sealed as it is
            evidence = env["recouvrement.evidence"]
            problem = evidence._check_chain(env["res.company"].browse(self.company_id))
            self.assertTrue(problem is None or problem[0].id <= self.watermarks["recouvrement_evidence"], problem)
            links = evidence.search([("id", ">", self.watermarks["recouvrement_evidence"]), ("kind", "=", "action")])
            executed = env["recouvrement.action"].search(
                [("run_id", "=", run_id), ("state", "in", ("pending", "done"))]
            )
            self.assertEqual(sorted(links.mapped("res_id")), sorted(executed.ids), "each executed action sealed once")
            contents = executed._evidence_content("action")
            self.assertEqual(
                {link.res_id: link.digest for link in links},
                {action.id: digest(contents[action]) for action in executed},
            )


def html_of(message):
    """The HTML body of an email as the SMTP server received it."""
    part = next(part for part in message.walk() if part.get_content_type() == "text/html")
    return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")


@tagged("post_install", "-at_install")
class TestMailServerDown(RecouvrementCommon):
    """A reminder counts only once it has left: Odoo's mail queue sends through a real SMTP server on a local port,
    which is first not running (connections refused), then started by the test."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.port = free_port()
        cls.env["ir.mail_server"].search([]).active = False
        cls.env["ir.mail_server"].create(
            {"name": "Local SMTP", "smtp_host": "127.0.0.1", "smtp_port": cls.port, "smtp_encryption": "none"}
        )
        cls.debtor.with_company(cls.company).collection_user_id = cls.agent

    def setUp(self):
        super().setUp()
        # really connect to the SMTP server (Odoo does not while testing), as Odoo's own SMTP tests do
        self.startPatcher(patch.object(IrMail_Server, "_disable_send", return_value=False))

    def _send_queue(self, at):
        """Odoo's mail queue, as its cron runs it at ``at``."""
        with freeze_time(at):
            self.env["mail.mail"].sudo().process_email_queue()

    def test_reminder_waits_while_the_server_is_down_then_leaves(self):
        invoice = self._invoice(self.debtor, 1000.0)
        action = self._run(self._day(14), deliver=False).action_ids  # Monday 16 March 2026
        self._send_queue(datetime(2026, 3, 16, 9, 0))
        self.assertRecordValues(
            action,
            [{"state": "pending", "mail_status": "retrying", "mail_retry_count": 1,
              "mail_next_try": datetime(2026, 3, 16, 9, 5)}],
        )  # fmt: skip
        self.assertFalse(invoice.collection_level_id, "the reminder did not leave: the level is not had")
        self._send_queue(datetime(2026, 3, 16, 9, 6))  # still down: the next attempt waits longer
        self.assertRecordValues(
            action, [{"state": "pending", "mail_retry_count": 2, "mail_next_try": datetime(2026, 3, 16, 9, 21)}]
        )
        self.assertFalse(self._run(self._day(15), deliver=False).action_ids, "waiting to be sent: not chased twice")
        with LocalSmtpServer(self.port) as server:
            self._send_queue(datetime(2026, 3, 17, 9, 0))  # the server is back; nobody pressed anything
        self.assertRecordValues(action, [{"state": "done", "mail_status": "sent", "mail_next_try": False}])
        self.assertEqual(invoice.collection_level_id, self.levels[14])
        self.assertEqual(len(server.messages), 1)
        _sender, recipients, message = server.messages[0]
        self.assertEqual(recipients, [self.debtor.email])
        self.assertIn(invoice.name, html_of(message))

    def test_attempts_exhausted_after_a_day_then_chased_again(self):
        invoice = self._invoice(self.debtor, 1000.0)
        action = self._run(self._day(14), deliver=False).action_ids
        first = at = datetime(2026, 3, 16, 9, 0)
        while action.state == "pending":
            self._send_queue(at)
            self.assertLess(action.mail_retry_count, 9)
            at = (action.mail_next_try or at) + timedelta(minutes=1)
        self.assertRecordValues(
            action, [{"state": "failed", "mail_status": "failed", "mail_retry_count": 8, "mail_failed_address": False}]
        )
        self.assertGreater(at - first, timedelta(hours=24), "tried again for more than a day")
        self.assertFalse(invoice.collection_level_id)
        activity = action.activity_ids
        self.assertEqual(
            activity.activity_type_id, self.env.ref("recouvrement_creances.mail_activity_collection_mail_failed")
        )
        self.assertEqual(activity.user_id, self.agent, "the collector is told")
        self.assertIn(
            action, self.env["recouvrement.action"].search([("channel", "=", "email"), ("state", "=", "failed")])
        )
        again = self._run(self._day(16), deliver=False).action_ids
        self.assertRecordValues(again, [{"level_id": self.levels[14].id, "channel": "email", "email_fallback": False}])

    @mute_logger("odoo.addons.mail.models.mail_mail")  # Odoo logs the SMTP refusal it records
    def test_unknown_mailbox_goes_by_letter_next(self):
        invoice = self._invoice(self.debtor, 1000.0)
        action = self._run(self._day(14), deliver=False).action_ids
        refusal = {self.debtor.email: "550 5.1.1 <debtor.one@example.com>: Recipient address rejected"}
        with LocalSmtpServer(self.port, refusal) as server:
            self._send_queue(datetime(2026, 3, 16, 9, 0))
        self.assertNotIn(self.debtor.email, [to for _sender, recipients, _m in server.messages for to in recipients])
        self.assertRecordValues(
            action, [{"state": "failed", "mail_retry_count": 0, "mail_failed_address": self.debtor.email_normalized}]
        )
        self.assertFalse(invoice.collection_level_id)
        letter = self._run(self._day(15), execute=False).action_ids
        self.assertRecordValues(letter, [{"level_id": self.levels[14].id, "channel": "letter", "email_fallback": True}])
        with freeze_time(self._day(15)):
            letter.with_context(force_report_rendering=True).action_execute()
        self.assertEqual(invoice.collection_level_id, self.levels[14])
        self.assertIn("was not delivered: a letter replaces the email", self.debtor.message_ids[0].body)

    @mute_logger("odoo.addons.mail.models.mail_mail")
    def test_mailbox_busy_is_tried_again(self):
        self._invoice(self.debtor, 1000.0)
        action = self._run(self._day(14), deliver=False).action_ids
        busy = {self.debtor.email: "450 4.2.0 Mailbox busy, try again later"}
        with LocalSmtpServer(self.port, busy) as server:
            self._send_queue(datetime(2026, 3, 16, 9, 0))
            self.assertRecordValues(action, [{"state": "pending", "mail_status": "retrying", "mail_retry_count": 1}])
            server.recipient_replies.clear()
            self._send_queue(datetime(2026, 3, 16, 9, 10))
        self.assertEqual(action.state, "done")
        self.assertEqual(len(server.messages), 1)


@tagged("post_install", "-at_install")
class TestNeverMilder(RecouvrementCommon):
    def test_new_invoice_does_not_soften_the_tone(self):
        """The BâtiPlus case: a second reminder had, then a new invoice reaches +14 days, and a third will fall
        due in two weeks."""
        debtor = self._debtor("Bâti Rhône", lang="fr_FR")
        older = self._invoice(debtor, 7200.0, due=self._day(-16))
        self._run(self._day(14))  # 30 days late: the second reminder
        self.assertEqual(older.collection_level_id, self.levels[30])
        newer = self._invoice(debtor, 6400.0, due=self._day(7))
        coming = self._invoice(debtor, 8750.0, due=self._day(35))
        with self.mock_mail_gateway():
            email = self._run(self._day(21), deliver=False).action_ids.filtered(lambda a: a.channel == "email")
        self.assertEqual(email.level_id, self.levels[30], "the second reminder again, not a first reminder")
        self.assertRecordValues(
            email.line_ids.sorted("date_due"),
            [
                {"move_id": older.id, "level_id": False, "days_overdue": 37},
                {"move_id": newer.id, "level_id": self.levels[14].id, "days_overdue": 14},
                {"move_id": coming.id, "level_id": self.levels[-14].id, "days_overdue": -14},
            ],
        )
        self.assertEqual((email.amount_overdue, email.amount_total), (13600.0, 22350.0))
        message = email.mail_message_id
        self.assertIn("deuxième relance", message.subject)
        body = " ".join(html2plaintext(message.body).split())
        self.assertIn("les factures en retard ci-dessous", body)
        overdue, not_due = body.split("À échoir")
        self.assertIn("En retard", overdue)
        for invoice in (older, newer):
            self.assertIn(invoice.name, overdue)
        self.assertNotIn(coming.name, overdue)
        self.assertIn(coming.name, not_due)
        self.assertRegex(overdue, r"Total en retard.*13 600,00")
        self.assertRegex(not_due, r"Total à échoir.*8 750,00")
        self.assertRegex(not_due, r"Total dû.*22 350,00")

    def test_courtesy_reminder_keeps_its_wording(self):
        debtor = self._debtor("Client Ponctuel", lang="fr_FR")
        coming = self._invoice(debtor, 900.0, due=self._day(14))
        with self.mock_mail_gateway():
            email = self._run(self._day(0), deliver=False).action_ids.filtered(lambda a: a.channel == "email")
        self.assertEqual(email.level_id, self.levels[-14])
        body = " ".join(email.mail_message_id.body.split())
        self.assertIn("arrivent bientôt à échéance", body)
        self.assertIn(coming.name, body.split("À échoir")[1])
        self.assertNotIn("En retard", body)


@tagged("post_install", "-at_install")
class TestExactlyOnceAtExecution(RecouvrementCommon):
    def test_a_proposal_from_an_older_snapshot_sends_nothing_twice(self):
        """Run B computed its proposal before run A's were executed (a snapshot older than A's commit): at
        execution, the level A gave is taken off B's lines, with the reason, and B's action is cancelled."""
        invoice = self._invoice(self.debtor, 1000.0)
        with freeze_time(self._day(14)):
            Run = self.env["recouvrement.run"]
            run_a, run_b = Run.create({"date": self._day(14)}), Run.create({"date": self._day(14)})
            stale = run_b._prepare_action_vals_list()
            run_a.action_propose()
            run_a.action_execute()
            self.env["recouvrement.action"]._create_proposals(stale)
            run_b.state = "proposed"
            with self.mock_mail_gateway():
                run_b.action_execute()
        self.assertEqual(run_a.action_ids.state, "pending")
        self.assertRecordValues(
            run_b.action_ids,
            [{"state": "cancelled", "exclusion_reason": "Already chased at this level by another action"}],
        )
        self.assertFalse(run_b.action_ids.mail_message_id, "nothing sent")
        self.assertFalse(run_b.action_ids.line_ids.level_id)
        self.assertIn(invoice.name, run_b.action_ids.message_ids[0].body)
        self.assertIn("Levels already had", run_b.action_ids.message_ids[0].body)

    def test_executing_what_is_not_proposed_says_why(self):
        self._invoice(self.debtor, 1000.0)
        action = self._run(self._day(14)).action_ids
        with self.assertRaisesRegex(UserError, r"not proposed any more: .*Debtor One.*\(Done\)"):
            action.action_execute()


@tagged("post_install", "-at_install")
class TestLegalPathRefuses(RecouvrementCommon):
    """What the screens refuse for a missing rate, the letters, the emails and the case claims refuse too."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.debtor.write({"company_registry": "73282932000074", "vat": "FR44732829320", "lang": "fr_FR"})

    def test_formal_notice_refused_when_a_rate_is_missing(self):
        # due 20 September 2026, formal notice on 5 January 2027: the ECB rate of 1 January 2027 is not known
        invoice = self._invoice(self.debtor, 1000.0, due=date(2026, 9, 20))
        run = self._run(date(2027, 1, 5), execute=False)
        notice = run.action_ids.filtered(lambda a: a.channel == "registered_letter")
        self.assertTrue(notice)
        self.assertIn("1er semestre 2027", notice.with_context(lang="fr_FR").execution_problem)
        self.assertIn("1er semestre 2027", run.with_context(lang="fr_FR").execution_problems)
        with freeze_time(date(2027, 1, 5)), self.assertRaisesRegex(UserError, "first half of 2027"):
            notice.with_context(force_report_rendering=True).action_execute()
        self.assertRecordValues(notice, [{"state": "proposed", "letter_attachment_id": False}])
        figure = invoice._collection_penalty_figures(date(2027, 1, 5))[invoice]
        self.assertTrue(figure["error"])
        self.assertEqual((figure["penalty"], figure["indemnity"], figure["indemnity_due"]), (0.0, 40.0, 40.0))
        with self.assertRaisesRegex(UserError, "first half of 2027"):
            self.env["recouvrement.case"]._open_for_moves(invoice, "legal", date(2027, 1, 5))
        self.assertFalse(invoice.collection_case_ids)

    def test_email_showing_penalties_refused_when_a_rate_is_missing(self):
        self._invoice(self.debtor, 1000.0, due=date(2026, 11, 30))
        run = self._run(date(2027, 1, 5), execute=False)  # 36 days: the second reminder shows the penalties
        email = run.action_ids.filtered(lambda a: a.channel == "email")
        self.assertTrue(email.level_id.charge_penalties)
        with freeze_time(date(2027, 1, 5)), self.assertRaisesRegex(UserError, "first half of 2027"):
            run.action_execute()
        self.assertEqual(email.state, "proposed")
        self.assertFalse(email.mail_message_id)

    def test_contractual_rate_checked_against_the_latest_published_legal_rate(self):
        # 2 December 2026: the legal rate of the second half of 2026 is not published; the first half's is 2.62 %
        debtor = self.debtor.with_company(self.company)
        with (
            freeze_time("2026-12-02"),
            self.assertRaisesRegex(ValidationError, "first half of 2026") as caught,
            self.env.cr.savepoint(),
        ):
            debtor.collection_penalty_rate = 7.5
        self.assertIn("below the legal floor of 7,86", str(caught.exception))
        self.assertIn("second half of 2026 is not published yet", str(caught.exception))
        self.env.invalidate_all()
        self.assertFalse(debtor.collection_penalty_rate)

    def test_letter_prints_the_debtor_identifiers(self):
        from .test_letters import pdf_text

        self._invoice(self.debtor, 1000.0)
        run = self._run(self._day(100), execute=False)
        notice = run.action_ids.filtered(lambda a: a.channel == "registered_letter")
        with freeze_time(self._day(100)):
            notice.with_context(force_report_rendering=True).action_execute()
        text = " ".join(pdf_text(notice.letter_attachment_id.raw).split())
        self.assertIn("Debtor One – SIREN 732829320 – SIRET 73282932000074 – TVA FR44732829320", text)

    def test_legal_interest_runs_from_the_corrected_sending_date(self):
        consumer = self._debtor("Jeanne Dupont", is_company=False)
        invoice = self._invoice(consumer, 1000.0)
        notice = self._run(self._day(100)).action_ids.filtered(lambda a: a.channel == "registered_letter")
        self.assertEqual(notice.registered_sent_date, self._day(100))
        # posted two days later than executed: 13 .. 30 June, 18 days at 2.62 %: 1000 x 2.62 % x 18 / 365 = 1.29
        notice.registered_sent_date = date(2026, 6, 12)
        self.assertEqual(invoice._collection_penalty_figures(date(2026, 6, 30))[invoice]["accrued"], 1.29)
        # the acknowledgement of receipt comes first: from 15 June, 15 days: 1.08
        notice.registered_ack_date = date(2026, 6, 15)
        self.assertEqual(invoice._collection_penalty_figures(date(2026, 6, 30))[invoice]["accrued"], 1.08)
