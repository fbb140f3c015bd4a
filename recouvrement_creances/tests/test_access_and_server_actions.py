from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import RecouvrementCommon


@tagged("post_install", "-at_install")
class TestAccessRights(RecouvrementCommon):
    def test_agent(self):
        self._invoice(self.debtor, 1000.0)
        with self.assertRaises(AccessError):
            self.policy_b2b.with_user(self.agent).minimum_amount = 0
        run = self._run(self._day(100), execute=False)
        self.assertTrue(run.action_ids.needs_validation)
        with self.assertRaises(AccessError):
            run.with_user(self.agent).action_execute()
        self.assertEqual(run.action_ids.state, "proposed")
        run.with_user(self.manager).action_execute()
        self.assertEqual(run.action_ids.state, "done")
        self.debtor.with_user(self.agent).collection_block_reason = "Negotiating"

    def test_salesperson_reads_status_only(self):
        self._invoice(self.debtor, 1000.0)
        self._run(self._day(14))
        partner = self.debtor.with_user(self.salesman)
        with self.env.cr.savepoint():
            self.assertEqual(partner.with_company(self.company).collection_amount_overdue, 1000.0)
            self.assertEqual(partner.with_company(self.company).collection_level_id.name, "First reminder")
        partner.write({"name": "Debtor One (renamed)", "collection_block_reason": False})  # unchanged: allowed
        with self.assertRaises(AccessError):
            partner.collection_block_reason = "No"
        with self.assertRaises(AccessError):
            self.env["recouvrement.action"].with_user(self.salesman).search([])
        with self.assertRaises(AccessError):
            self.env["recouvrement.run"].with_user(self.salesman).create({})


@tagged("post_install", "-at_install")
class TestServerActions(RecouvrementCommon):
    def _run_server_action(self, xmlid, records):
        return (
            self.env.ref(xmlid)
            .with_context(active_model=records._name, active_ids=records.ids, active_id=records[:1].id)
            .run()
        )

    def test_propose_and_propose_execute(self):
        self._invoice(self.debtor, 1000.0)
        runs = self.env["recouvrement.run"].create([{"date": self._day(14)}, {"date": self._day(30)}])
        self._run_server_action("recouvrement_creances.action_server_run_propose", runs[0])
        self.assertEqual(runs[0].state, "proposed")
        self.assertEqual(runs[0].action_ids.mapped("state"), ["proposed"])
        runs[0].action_ids._cancel("test")
        self._run_server_action("recouvrement_creances.action_server_run_propose_execute", runs[1])
        self.assertEqual(runs[1].state, "done")
        self.assertEqual(set(runs[1].action_ids.mapped("state")), {"pending"})

    def test_follow_up_now_on_partners(self):
        other = self._debtor("Other Debtor")
        twenty_days_ago = fields.Date.subtract(fields.Date.today(), days=20)
        self._invoice(self.debtor, 1000.0, due=twenty_days_ago)
        self._invoice(other, 1000.0, due=twenty_days_ago)
        result = self._run_server_action("recouvrement_creances.action_server_partner_run_now", self.debtor)
        run = self.env["recouvrement.run"].browse(result["res_id"])
        self.assertEqual(run.action_ids.partner_id, self.debtor)
        self.assertTrue(run.action_ids.mail_message_id)

    def test_exclude_and_dispute_invoices(self):
        first = self._invoice(self.debtor, 1000.0)
        second = self._invoice(self.debtor, 500.0)
        for xmlid, invoice, reason in (
            ("recouvrement_creances.action_server_move_exclude", first, "Accord commercial"),
            ("recouvrement_creances.action_server_move_dispute", second, "Livraison incomplète"),
        ):
            result = self._run_server_action(xmlid, invoice)
            self.assertEqual((result["res_model"], result["target"]), ("recouvrement.block.wizard", "new"))
            wizard = self.env[result["res_model"]].with_context(**result["context"]).create({"reason": reason})
            self.assertEqual(wizard.move_ids, invoice)
            wizard.action_confirm()
            self.assertIn(reason, invoice.message_ids[0].body)
        self.assertTrue(first.no_followup)
        self.assertRecordValues(
            second, [{"collection_dispute": True, "collection_dispute_reason": "Livraison incomplète"}]
        )
        self.assertFalse(self._run(self._day(14)).action_ids)


@tagged("post_install", "-at_install")
class TestCallsAndInterruption(RecouvrementCommon):
    def test_call_outcome_promise_and_dispute(self):
        invoice = self._invoice(self.debtor, 1000.0)
        call = self._run(self._day(30)).action_ids.filtered(lambda a: a.channel == "phone")
        self.assertEqual(call.state, "pending")
        with self.assertRaises(UserError):
            call.activity_ids.action_done()
        wizard = self.env["recouvrement.call.wizard"].create(
            {
                "action_id": call.id,
                "outcome": "promise",
                "promise_amount": 400.0,
                "promise_date": "2099-01-01",
            }
        )
        wizard.action_confirm()
        self.assertRecordValues(call, [{"state": "done", "call_outcome": "promise"}])
        self.assertRecordValues(call.promise_id, [{"amount": 400.0, "state": "open", "partner_id": self.debtor.id}])
        self.assertEqual(call.promise_id.move_ids, invoice)
        self.assertFalse(call.activity_ids, "the call activity is marked done")

        other = self._debtor("Disputes")
        disputed = self._invoice(other, 300.0)
        call = self._run(self._day(30), partners=other).action_ids.filtered(lambda a: a.channel == "phone")
        self.env["recouvrement.call.wizard"].create(
            {"action_id": call.id, "outcome": "dispute", "dispute_reason": "Prix contesté"}
        ).action_confirm()
        self.assertRecordValues(
            disputed,
            [
                {
                    "collection_dispute": True,
                    "collection_dispute_reason": "Prix contesté",
                    "collection_dispute_until": False,
                }
            ],
        )
        self.assertIn("Put in dispute: Prix contesté", disputed.message_ids.mapped("preview"))

    def test_interrupted_cron_resumes_without_duplicates(self):
        debtors = self.debtor | self._debtor("Debtor Two") | self._debtor("Debtor Three")
        for debtor in debtors:
            self._invoice(debtor, 1000.0)
        self.env["ir.config_parameter"].sudo().set_param("recouvrement_creances.batch_size", 1)
        action_model = type(self.env["recouvrement.action"])
        original = action_model._execute_email
        failing = debtors[1]

        def execute_email_failing(actions):
            if failing in actions.partner_id:
                raise RuntimeError("SMTP relay lost")
            return original(actions)

        from unittest.mock import patch

        from odoo.tools import mute_logger

        with (
            self.mock_mail_gateway(),
            mute_logger("odoo.addons.base.models.ir_cron"),
            patch.object(action_model, "_execute_email", execute_email_failing),
        ):
            self._cron(self._day(14))
        self.env.invalidate_all()
        sent = self.env["recouvrement.action"].search([("partner_id", "in", debtors.ids), ("state", "!=", "proposed")])
        self.assertEqual(sent.partner_id, debtors[0], "the first batch was committed before the failure")
        with self.mock_mail_gateway():
            self._cron(self._day(14))
        actions = self.env["recouvrement.action"].search([("partner_id", "in", debtors.ids)])
        self.assertEqual(len(actions), 3)
        for debtor in debtors:
            messages = actions.filtered(lambda a, d=debtor: a.partner_id == d).mail_message_id
            self.assertEqual(len(messages), 1, f"{debtor.name} got exactly one email")
