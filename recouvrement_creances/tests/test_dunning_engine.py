from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from ..tools import reached_level
from .common import DUE, RecouvrementCommon


@tagged("post_install", "-at_install")
class TestReachedLevel(RecouvrementCommon):
    def test_reached_level_plain_function(self):
        levels = [(-14, "courtesy"), (0, "due"), (14, "first"), (30, "second")]
        self.assertEqual(reached_level(levels, -20, None), None)
        self.assertEqual(reached_level(levels, -14, None), "courtesy")
        self.assertEqual(reached_level(levels, 3, -14), "due")
        # A late-posted invoice gets only the highest level it has passed.
        self.assertEqual(reached_level(levels, 45, None), "second")
        self.assertEqual(reached_level(levels, 45, 30), None)


@tagged("post_install", "-at_install")
class TestDunningEngine(RecouvrementCommon):
    def test_default_policy_walk(self):
        """The B2B policy walked day by day by the daily cron on one invoice: which actions, which mails."""
        invoice = self._invoice(self.debtor, 1000.0)
        self.debtor.with_company(self.company).collection_user_id = self.agent
        expected = [
            (-20, []),
            (-14, [("Courtesy reminder", "email"), ("Courtesy reminder", "phone")]),
            (-5, []),
            (0, [("Due date reminder", "email")]),
            (14, [("First reminder", "email")]),
            (20, []),
            (30, [("Second reminder", "email"), ("Second reminder", "phone")]),
            (60, [("Third reminder", "email")]),
            (90, [("Last amicable notice", "email")]),
            (100, [("Formal notice (mise en demeure)", "registered_letter")]),
            (115, []),  # the formal notice still awaits a manager: no second proposal, no escalation yet
        ]
        seen = self.env["recouvrement.action"]
        for offset, new_actions in expected:
            with self.mock_mail_gateway():
                self._cron(self._day(offset))
                self._deliver()
            actions = self._actions() - seen
            self.assertEqual(
                [(a.level_id.name, a.channel) for a in actions.sorted(lambda a: (a.channel != "email", a.channel))],
                new_actions,
                f"day {offset}",
            )
            emails = actions.filtered(lambda a: a.channel == "email")
            self.assertEqual(len(emails.mail_message_id), len(emails), f"day {offset}: one email per email action")
            for action in emails:
                self.assertEqual(action.mail_message_id.notification_ids.res_partner_id, self.debtor)
                self.assertIn(invoice.name, action.mail_message_id.body)
            seen |= actions
            if actions.filtered(lambda a: a.channel == "phone"):
                self.assertEqual(actions.filtered(lambda a: a.channel == "phone").activity_ids.user_id, self.agent)
        formal = seen.filtered(lambda a: a.channel == "registered_letter")
        self.assertEqual(formal.state, "proposed", "needs validation: the cron leaves it to a manager")
        self.assertTrue(formal.run_id.activity_ids, "the managers are asked to review")
        self.assertEqual(invoice.collection_level_id, self.levels[90])

    def test_mail_queued_then_sent_and_addressed_once_per_debtor(self):
        contact = self.env["res.partner"].create(
            {"name": "Compta", "parent_id": self.debtor.id, "type": "invoice", "email": "compta@debtor.example.com"}
        )
        first = self._invoice(self.debtor, 400.0)
        second = self._invoice(self.debtor, 600.0, due=self._day(-10))
        with self.mock_mail_gateway():
            run = self._run(self._day(14), deliver=False)
            action = run.action_ids.filtered(lambda a: a.channel == "email")
            self.assertEqual(len(action), 1, "one email for the debtor, not one per invoice")
            self.assertEqual(action.line_ids.move_id, first + second)
            self.assertEqual(action.state, "pending")
            self.assertMailMail(contact, "outgoing", mail_message=action.mail_message_id)
            self.env["mail.mail"].sudo().process_email_queue()
        self.assertEqual(action.mail_status, "sent")
        self.assertEqual(action.state, "done")
        self.assertIn(first.name, self._mails[0]["body"])
        self.assertIn(second.name, self._mails[0]["body"])
        self.assertEqual(self._mails[0]["email_to"], ['"Compta" <compta@debtor.example.com>'])

    def test_failed_mail_fails_the_action(self):
        debtor = self._debtor("Bad Address", email=False)
        debtor.email = "not an address"
        self._invoice(debtor, 500.0)
        with self.mock_mail_gateway():
            run = self._run(self._day(14))
            self.env["mail.mail"].sudo().process_email_queue()
        action = run.action_ids
        self.assertEqual(action.mail_status, "failed")
        self.assertEqual(action.state, "failed")

    def test_no_email_falls_back_to_letter(self):
        debtor = self._debtor("Postal Only", email=False)
        self._invoice(debtor, 500.0)
        run = self._run(self._day(14))
        self.assertRecordValues(run.action_ids, [{"channel": "letter", "email_fallback": True, "state": "done"}])
        self.assertIn("letter replaces the email", debtor.message_ids[0].body)
        self.assertTrue(run.action_ids.activity_ids)

    def test_partial_payment_between_levels(self):
        invoice = self._invoice(self.debtor, 1200.0)
        self._run(self._day(14))
        self._pay(invoice, 500.0, self._day(20))
        run = self._run(self._day(30))
        action = run.action_ids.filtered(lambda a: a.channel == "email")
        self.assertRecordValues(
            action.line_ids, [{"move_id": invoice.id, "amount_residual": 700.0, "days_overdue": 30}]
        )
        self.assertIn('<span class="oe_currency_value">700,00</span>', action.mail_message_id.body)

    def test_paid_the_day_before_a_level(self):
        invoice = self._invoice(self.debtor, 800.0)
        self._pay(invoice, 800.0, self._day(13))
        run = self._run(self._day(14))
        self.assertFalse(run.action_ids)
        self.assertEqual(run.state, "done")

    def test_credit_note_is_netted(self):
        invoice = self._invoice(self.debtor, 1000.0)
        refund = self._invoice(self.debtor, 300.0, due=self._day(5), move_type="out_refund")
        action = self._run(self._day(14)).action_ids.filtered(lambda a: a.channel == "email")
        self.assertEqual(action.line_ids.move_id, invoice + refund)
        self.assertRecordValues(action, [{"amount_due": 1000.0, "amount_credit": -300.0, "amount_total": 700.0}])

    def test_dispute_blocks_until_resolved_or_its_end_date(self):
        invoice = self._invoice(self.debtor, 1000.0)
        invoice.write(
            {
                "collection_dispute": True,
                "collection_dispute_reason": "Goods damaged",
                "collection_dispute_until": self._day(20),
            }
        )
        self.assertFalse(self._run(self._day(14)).action_ids)
        self.assertTrue(self._run(self._day(30)).action_ids, "the block ended on day 20")

    def test_promise_kept_and_broken(self):
        kept_debtor = self._debtor("Keeps Promises")
        kept = self._invoice(kept_debtor, 500.0)
        broken = self._invoice(self.debtor, 500.0)
        with freeze_time(self._day(10)):
            promises = self.env["recouvrement.promise"].create(
                [
                    {"partner_id": p.id, "move_ids": [(6, 0, m.ids)], "amount": 500.0, "date": self._day(20)}
                    for p, m in ((kept_debtor, kept), (self.debtor, broken))
                ]
            )
        self.assertFalse(self._run(self._day(14)).action_ids, "open promises hold the follow-up")
        self._pay(kept, 500.0, self._day(18))
        with freeze_time(self._day(21)):
            self.assertEqual(promises.with_context(date=self._day(21)).mapped("state"), ["kept", "broken"])
        run = self._run(self._day(21))
        self.assertEqual(run.action_ids.partner_id, self.debtor, "dunning resumes after a broken promise")

    def test_one_action_per_currency(self):
        usd = self.setup_other_currency("USD")
        self._invoice(self.debtor, 1000.0)
        self._invoice(self.debtor, 250.0, currency=usd)
        emails = self._run(self._day(14)).action_ids.filtered(lambda a: a.channel == "email")
        self.assertEqual(
            sorted(emails.mapped(lambda a: (a.currency_id.name, a.amount_total))), [("EUR", 1000.0), ("USD", 250.0)]
        )

    def test_companies_are_isolated(self):
        other = self.setup_other_company()["company"]
        self.env.user.company_ids += other
        other_invoice = (
            self.env["account.move"]
            .with_company(other)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.debtor.id,
                    "invoice_date": DUE,
                    "invoice_date_due": DUE,
                    "invoice_line_ids": [(0, 0, {"name": "x", "quantity": 1, "price_unit": 99.0, "tax_ids": [(5,)]})],
                }
            )
        )
        other_invoice.action_post()
        mine = self._invoice(self.debtor, 1000.0)
        run = self._run(self._day(14))
        self.assertEqual(run.action_ids.line_ids.move_id, mine)
        other_run = (
            self.env["recouvrement.run"].with_company(other).create({"company_id": other.id, "date": self._day(14)})
        )
        with freeze_time(self._day(14)):
            other_run.action_propose()
        self.assertEqual(other_run.action_ids.line_ids.move_id, other_invoice)
        self.assertFalse(
            self.env["recouvrement.action"].with_user(self.agent).search([("id", "in", other_run.action_ids.ids)])
        )

    def test_run_twice_the_same_day(self):
        self._invoice(self.debtor, 1000.0)
        self.assertTrue(self._run(self._day(14)).action_ids)
        second = self._run(self._day(14))
        self.assertFalse(second.action_ids)

    def test_bad_input(self):
        with self.assertRaises(ValidationError):
            self.policy_b2b.level_ids.filtered(lambda level: level.offset_days == 30).sequence = 1
        with self.assertRaises(ValidationError):
            self.env["recouvrement.run"].create({"date": "2999-01-01"})
        with freeze_time(self._day(14)), self.assertRaises(UserError):
            self.env["recouvrement.promise"].create(
                {"partner_id": self.debtor.id, "move_ids": [], "amount": 10.0, "date": self._day(13)}
            )
        with freeze_time(self._day(14)), self.assertRaises(UserError):
            self.env["recouvrement.promise"].create(
                {"partner_id": self.debtor.id, "move_ids": [], "amount": 0.0, "date": self._day(15)}
            )
        self._invoice(self.debtor, 1000.0)
        run = self._run(self._day(14))
        with self.assertRaises(UserError):
            run.action_execute()

    def test_letter_needs_an_address(self):
        debtor = self._debtor("No Address", street=False)
        self._invoice(debtor, 1000.0)
        run = self._run(self._day(100), execute=False)
        self.assertEqual(run.action_ids.channel, "registered_letter")
        with self.assertRaises(UserError), self.env.cr.savepoint():
            run.action_execute()
        self.assertEqual(run.action_ids.state, "proposed", "nothing half-written")
        self.assertFalse(debtor.invoice_ids.collection_level_id)

    def test_executed_action_is_evidence(self):
        self._invoice(self.debtor, 1000.0)
        proposed = self._run(self._day(14), execute=False).action_ids
        proposed.note = "<p>Client prévenu</p>"  # a reviewer's note, before execution
        with freeze_time(self._day(14)):
            proposed.action_execute()
        action = proposed
        with self.assertRaises(UserError):
            action.note = "<p>Réécrite</p>"
        with self.assertRaises(UserError):
            action.level_id = self.levels[30]
        with self.assertRaises(UserError):
            action.line_ids.amount_residual = 1.0
        with self.assertRaises(UserError):
            action.unlink()
        with self.assertRaises(UserError):
            action.state = "proposed"

    def test_actions_logged_in_chatters(self):
        invoice = self._invoice(self.debtor, 1000.0)
        actions = self._run(self._day(30)).action_ids
        self.assertEqual(len(actions), 2)
        invoice_log = "".join(invoice.message_ids.mapped("body"))
        self.assertEqual(invoice_log.count("Second reminder"), 2, "one log per action (email and call)")
        email = actions.filtered(lambda a: a.channel == "email")
        self.assertIn(email.mail_message_id, email.message_ids, "the email itself is kept on its action")
        self.assertTrue(any("Second reminder by email" in body for body in self.debtor.message_ids.mapped("body")))
        self.assertTrue(any("Second reminder by phone call" in body for body in self.debtor.message_ids.mapped("body")))

    def test_proposal_query_count_does_not_grow_with_debtors(self):
        def propose(count, offset):
            for index in range(count):
                self._invoice(self._debtor(f"Bulk {offset} {index}"), 100.0 + index)
            run = self.env["recouvrement.run"].create({"date": self._day(14), "company_id": self.company.id})
            with freeze_time(self._day(14)):
                self.env.invalidate_all()
                with self._count_queries() as queries:
                    run.action_propose()
            run.action_ids.filtered(lambda a: a.state == "proposed")._cancel("test")
            return len(run.action_ids), queries["count"]

        actions_5, queries_5 = propose(5, "a")
        actions_50, queries_50 = propose(45, "b")
        self.assertEqual((actions_5, actions_50), (5, 50))
        self.assertLessEqual(queries_50 - queries_5, 5, (queries_5, queries_50))

    def test_email_execution_query_count_does_not_grow_with_debtors(self):
        """Ten times more reminders in one batch: the emails, their notifications, the chatter logs and
        the invoices' levels are written with a few more queries, not ten times more."""

        def execute(count, offset):
            for index in range(count):
                self._invoice(self._debtor(f"Mail {offset} {index}"), 100.0 + index)
            run = self.env["recouvrement.run"].create({"date": self._day(14), "company_id": self.company.id})
            with freeze_time(self._day(14)), self.mock_mail_gateway():
                run.action_propose()
                self.env.invalidate_all()
                with self._count_queries() as queries:
                    run.action_execute()
                    self.env.flush_all()
            self.assertEqual(set(run.action_ids.mapped("state")), {"pending"})
            self.assertEqual(len(run.action_ids.mail_message_id), count, "one email per debtor")
            return queries["count"]

        queries_5, queries_50 = execute(5, "a"), execute(50, "b")
        self.assertLessEqual(queries_50, 2 * queries_5, (queries_5, queries_50))

    def test_debtor_collection_figures(self):
        """What the customer form's Collection tab shows, and that opening it costs the same few queries
        for 2 or 30 open invoices."""
        old = self._invoice(self.debtor, 1000.0)
        self._invoice(self.debtor, 250.0, due=self._day(10))
        self._run(self._day(14))  # "First reminder" for the old invoice, "Due date reminder" for the other
        self._pay(old, 400.0, self._day(16))
        excluded = self._invoice(self.debtor, 90.0, due=self._day(-40))
        excluded.no_followup = True
        self._invoice(self.debtor, 300.0, due=self._day(40))  # not due yet: its courtesy reminder is on day 26
        with freeze_time(self._day(20)):
            self.env.invalidate_all()
            debtor = self.debtor.with_company(self.company)
            self.assertRecordValues(
                debtor,
                [
                    {
                        "collection_amount_due": 600.0 + 250.0 + 90.0 + 300.0,
                        "collection_amount_overdue": 600.0 + 250.0 + 90.0,
                        "collection_oldest_overdue_days": 60,  # the excluded invoice still counts as owed
                        "collection_level_id": self.levels[14].id,
                        # the invoice due on day 10 is the first to reach its next level
                        "collection_next_level_id": self.levels[14].id,
                        "collection_next_date": self._day(24),
                    }
                ],
            )
            debtor.collection_penalty_amount  # noqa: B018 (warms the registry caches: languages, rates, xmlids)
            self.env.flush_all()
            self.env.invalidate_all()
            with self._count_queries() as few:
                debtor.collection_amount_due  # noqa: B018
                debtor.collection_penalty_amount  # noqa: B018
            for index in range(28):
                self._invoice(self.debtor, 10.0 + index, due=self._day(-index))
            self.env.flush_all()  # what the invoices' creation left to write is not the form's cost
            self.env.invalidate_all()
            with self._count_queries() as many:
                self.assertEqual(debtor.collection_amount_due, 1240.0 + sum(10.0 + i for i in range(28)))
                debtor.collection_penalty_amount  # noqa: B018
            self.assertEqual(many["count"], few["count"], "the status and the penalties of the customer form")


@tagged("post_install", "-at_install")
class TestReminderEmails(RecouvrementCommon):
    def test_language_of_the_debtor(self):
        french = self._debtor("Client Français", lang="fr_FR")
        english = self._debtor("English Customer", lang="en_US")
        self._invoice(french, 100.0)
        self._invoice(english, 100.0)
        messages = self._run(self._day(14)).action_ids.mail_message_id
        by_partner = {message.notification_ids.res_partner_id.name: message for message in messages}
        self.assertIn("relance de paiement", by_partner["Client Français"].subject)
        self.assertIn("Sauf erreur de notre part", by_partner["Client Français"].body)
        self.assertIn("Jours de retard", by_partner["Client Français"].body)
        self.assertIn("payment reminder", by_partner["English Customer"].subject)
        self.assertIn("Days Late", by_partner["English Customer"].body)

    def test_legal_mention_for_businesses_only(self):
        person = self._debtor("Jeanne Particulier", is_company=False)
        self._invoice(self.debtor, 100.0)
        self._invoice(person, 100.0)
        actions = self._run(self._day(14)).action_ids
        business = actions.filtered(lambda a: a.partner_id == self.debtor)
        individual = actions.filtered(lambda a: a.partner_id == person)
        self.assertEqual(individual.policy_id, self.policy_b2c)
        self.assertIn("L441-10", business.mail_message_id.body)
        self.assertNotIn("L441-10", individual.mail_message_id.body)
        self.assertNotIn("40", individual.mail_message_id.body.split("Total")[-1].split("Kind regards")[0])

    def test_bounce_fails_the_action(self):
        self._invoice(self.debtor, 100.0)
        action = self._run(self._day(14)).action_ids
        with self.mock_mail_gateway():
            self.env["mail.mail"].sudo().process_email_queue()
        self.assertEqual(action.state, "done")
        message = action.mail_message_id
        self.env["mail.thread"]._routing_handle_bounce(
            False,
            {
                "bounced_email": self.debtor.email_normalized,
                "bounced_partner": self.debtor,
                "bounced_msg_ids": [message.message_id],
                "bounced_message": message,
                "email_from": "MAILER-DAEMON@mail.example.com",
                "to": "bounce@example.com",
                "message_id": "<dsn-1@mail.example.com>",
            },
        )
        self.assertEqual(action.mail_status, "bounced")
        self.assertEqual(action.state, "failed")


@tagged("post_install", "-at_install")
class TestEngineSafeguards(RecouvrementCommon):
    def test_a_level_already_had_is_not_resent_nor_milder(self):
        old = self._invoice(self.debtor, 1000.0, due=self._day(-60))
        self._run(self._day(0))  # old invoice: third reminder
        self.assertEqual(old.collection_level_id, self.levels[60])
        new = self._invoice(self.debtor, 200.0, due=self._day(-14))
        email = self._run(self._day(0)).action_ids.filtered(lambda a: a.channel == "email")
        self.assertEqual(email.level_id, self.levels[60], "the tone of the third reminder the debtor already had")
        self.assertRecordValues(
            email.line_ids.sorted("date_due"),
            [
                {"move_id": old.id, "level_id": False},  # listed, its level not given again
                {"move_id": new.id, "level_id": self.levels[14].id},  # each invoice keeps its own level
            ],
        )
        self.assertEqual(old.collection_level_id, self.levels[60])
        self.assertEqual(new.collection_level_id, self.levels[14])

    def test_paid_between_proposal_and_validation(self):
        paid = self._invoice(self.debtor, 1000.0)
        run = self._run(self._day(100), execute=False)
        self.assertEqual(run.action_ids.channel, "registered_letter")
        self._pay(paid, 1000.0, self._day(101))
        with freeze_time(self._day(102)):
            run.action_execute()
        self.assertRecordValues(run.action_ids, [{"state": "cancelled", "exclusion_reason": "Paid since the proposal"}])
        self.assertFalse(paid.collection_level_id)

    def test_actions_cannot_be_forged(self):
        self._invoice(self.debtor, 1000.0)
        action = self._run(self._day(100), execute=False).action_ids.with_user(self.agent)
        for vals in ({"state": "cancelled"}, {"state": "done"}, {"level_id": self.levels[14].id}, {"channel": "email"}):
            with self.assertRaises(UserError), self.env.cr.savepoint():
                action.write(vals)
        with self.assertRaises(UserError), self.env.cr.savepoint():
            action.line_ids.write({"amount_residual": 1.0})
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self.env["recouvrement.action"].with_user(self.agent).create(
                {
                    "company_id": self.company.id,
                    "partner_id": self.debtor.id,
                    "currency_id": action.currency_id.id,
                    "level_id": self.levels[14].id,
                    "channel": "email",
                    "date": self._day(100),
                    "state": "done",
                }
            )
        self.assertEqual(action.state, "proposed")

    def test_agent_runs_emails_and_invoices_copy_for_everyone(self):
        invoice = self._invoice(self.debtor, 1000.0)
        with freeze_time(self._day(14)):
            run = self.env["recouvrement.run"].with_user(self.agent).create({"date": self._day(14)})
            run.action_propose_and_execute()
        self.assertEqual(run.action_ids.mapped("state"), ["pending"])
        self.assertEqual(run.action_ids.done_user_id, self.agent)
        self.assertIn(self.debtor, run.action_ids.sudo().mail_message_id.notification_ids.res_partner_id)
        billing = new_test_user(
            self.env,
            "billing",
            groups="account.group_account_invoice",
            company_id=self.company.id,
            company_ids=self.company.ids,
        )
        copy = invoice.with_user(billing).copy()
        self.assertFalse(copy.collection_level_id)
        with self.assertRaises(AccessError):
            invoice.with_user(billing).collection_dispute = True

    def test_cron_goes_on_when_a_letter_has_no_address(self):
        self._invoice(self._debtor("No Email Nor Street", email=False, street=False), 500.0)
        self._invoice(self.debtor, 500.0)
        with self.mock_mail_gateway():
            self._cron(self._day(14))
        actions = self.env["recouvrement.action"].search(
            [("partner_id.name", "in", ("No Email Nor Street", "Debtor One"))]
        )
        self.assertEqual(
            sorted(actions.mapped(lambda a: (a.partner_id.name, a.channel, a.state))),
            [
                ("Debtor One", "email", "pending"),
                ("No Email Nor Street", "letter", "proposed"),
            ],
        )
        self.assertIn("No Email Nor Street", actions.run_id.message_ids[0].body)
