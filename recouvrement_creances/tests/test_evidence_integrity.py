"""Evidence no one can rewrite: each attempt, as an agent, a manager, an administrator and over HTTP, is refused
and changes nothing; an edit made behind the ORM's back, in SQL, shows in the integrity check."""

import base64
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import JsonRpcMixin, RecouvrementCommon

REFUSALS = UserError  # AccessError is one too


class EvidenceCommon(RecouvrementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(
            cls.env,
            "coll_admin",
            groups="base.group_system,account.group_account_manager,recouvrement_creances.group_recouvrement_manager",
            company_id=cls.company.id,
            company_ids=cls.company.ids,
        )
        cls.billing = new_test_user(
            cls.env,
            "billing_clerk",
            groups="account.group_account_invoice,base.group_partner_manager",
            company_id=cls.company.id,
            company_ids=cls.company.ids,
        )
        cls.policy_b2b.level_ids.filtered(lambda level: level.offset_days == 14).attach_statement = True
        cls.invoice = cls._invoice(cls.debtor, 1000.0)
        with freeze_time(cls._day(14)):
            run = cls.env["recouvrement.run"].create({"date": cls._day(14)})
            run.action_propose()
            run.with_context(force_report_rendering=True).action_execute()
        cls.email = run.action_ids
        cls.message = cls.email.mail_message_id
        cls.statement = cls.message.attachment_ids
        cls.chatter_log = cls.invoice.message_ids.filtered(lambda m: "First reminder by email" in (m.body or ""))
        cls.partner_log = cls.debtor.message_ids.filtered(lambda m: "First reminder by email" in (m.body or ""))

    def _attempt(self, user, func, *args):
        """Run ``func(record as user, *args)`` expecting a refusal; nothing may have changed."""
        with self.assertRaises(REFUSALS) as caught, self.env.cr.savepoint():
            func(user, *args)
        self.env.invalidate_all()
        return caught.exception


@tagged("post_install", "-at_install")
class TestEvidenceReadOnly(EvidenceCommon):
    def test_reminder_email_cannot_be_rewritten(self):
        body, date_sent = self.message.body, self.message.date
        attempts = {
            "agent edits the body": (self.agent, lambda u: self.message.with_user(u).write({"body": "<p>x</p>"})),
            "manager backdates it": (self.manager, lambda u: self.message.with_user(u).write({"date": "2020-01-01"})),
            "admin deletes it": (self.admin, lambda u: self.message.with_user(u).unlink()),
            "manager changes its author": (
                self.manager,
                lambda u: self.message.with_user(u).write({"author_id": self.agent.partner_id.id}),
            ),
            "manager changes its recipients": (
                self.manager,
                lambda u: self.message.with_user(u).write({"partner_ids": [Command.set(self.agent.partner_id.ids)]}),
            ),
            "manager drops its attachments": (
                self.manager,
                lambda u: self.message.with_user(u).write({"attachment_ids": [Command.clear()]}),
            ),
            "manager deletes it through the action": (
                self.manager,
                lambda u: self.email.with_user(u).write({"message_ids": [Command.delete(self.message.id)]}),
            ),
            "admin rewrites it through the action": (
                self.admin,
                lambda u: self.email.with_user(u).write(
                    {"message_ids": [Command.update(self.message.id, {"body": "x"})]}
                ),
            ),
            "admin edits it in the chatter": (
                self.admin,
                lambda u: self.email.with_user(u)._message_update_content(self.message.with_user(u), body="<p>x</p>"),
            ),
        }
        for name, (user, attempt) in attempts.items():
            with self.subTest(name):
                self._attempt(user, attempt)
                self.assertRecordValues(self.message, [{"body": body, "date": date_sent}])
                self.assertEqual(self.message.attachment_ids, self.statement)

    def test_queued_mail_cannot_be_changed_or_deleted(self):
        notice = self._run(self._day(60), deliver=False).action_ids.filtered(lambda a: a.channel == "email")
        mail = self.env["mail.mail"].sudo().search([("mail_message_id", "=", notice.mail_message_id.id)])
        self.assertEqual(len(mail), 1)
        body = mail.body_html
        for name, vals in (("body", {"body_html": "<p>x</p>"}), ("to", {"email_to": "other@example.com"})):
            with self.subTest(name):
                self._attempt(self.admin, lambda u, vals=vals: mail.with_user(u).write(vals))
        self._attempt(self.admin, lambda u: mail.with_user(u).unlink())
        self.assertTrue(mail.exists())
        self.assertEqual(mail.body_html, body)

    def test_letter_and_statement_cannot_be_replaced(self):
        letter = self._run(self._day(100), execute=False).action_ids.filtered(
            lambda a: a.channel == "registered_letter"
        )
        with freeze_time(self._day(100)):
            letter.with_context(force_report_rendering=True).action_execute()
        pdf = letter.letter_attachment_id
        raw = pdf.raw
        attempts = {
            "manager overwrites the letter": (
                self.manager,
                lambda u: pdf.with_user(u).write({"raw": b"%PDF-1.4 forged"}),
            ),
            "manager detaches it": (self.manager, lambda u: pdf.with_user(u).write({"res_id": self.invoice.id})),
            "manager renames it": (self.manager, lambda u: pdf.with_user(u).write({"name": "other.pdf"})),
            "admin deletes it": (self.admin, lambda u: pdf.with_user(u).unlink()),
            "agent deletes the statement joined to the email": (
                self.agent,
                lambda u: self.statement.with_user(u).unlink(),
            ),
        }
        for name, (user, attempt) in attempts.items():
            with self.subTest(name):
                self._attempt(user, attempt)
        self.assertEqual(pdf.raw, raw)
        self.assertEqual(letter.letter_attachment_id, pdf)
        self.assertTrue(self.statement.exists())

    def test_call_log_cannot_be_rewritten(self):
        call = self._run(self._day(30)).action_ids.filtered(lambda a: a.channel == "phone")
        self.env["recouvrement.call.wizard"].create(
            {"action_id": call.id, "outcome": "reached", "note": "Le comptable confirme le virement."}
        ).action_confirm()
        note = call.note
        for name, (user, vals) in {
            "agent rewrites the call note": (self.agent, {"note": "<p>Injoignable</p>"}),
            "manager changes the outcome": (self.manager, {"call_outcome": "no_answer"}),
            "manager changes the caller": (self.manager, {"done_user_id": self.manager.id}),
        }.items():
            with self.subTest(name):
                self._attempt(user, lambda u, vals=vals: call.with_user(u).write(vals))
        self.assertRecordValues(call, [{"note": note, "call_outcome": "reached", "state": "done"}])

    def test_collection_log_in_chatters_is_evidence(self):
        self.assertTrue(self.chatter_log.collection_evidence)
        body = self.chatter_log.body
        for name, (user, attempt) in {
            "billing user edits the log on the invoice": (
                self.billing,
                lambda u: self.chatter_log.with_user(u).write({"body": "<p>rien</p>"}),
            ),
            "billing user deletes it": (self.billing, lambda u: self.chatter_log.with_user(u).unlink()),
            "salesperson deletes the log on the customer": (
                self.salesman,
                lambda u: self.partner_log.with_user(u).unlink(),
            ),
            "admin edits it in the chatter": (
                self.admin,
                lambda u: self.invoice.with_user(u)._message_update_content(
                    self.chatter_log.with_user(u), body="<p>x</p>"
                ),
            ),
        }.items():
            with self.subTest(name):
                self._attempt(user, attempt)
        self.assertEqual(self.chatter_log.body, body)
        self.assertTrue(self.partner_log.exists())
        # a comment of a user stays theirs
        note = self.invoice.with_user(self.billing).message_post(body="Client relancé par téléphone.")
        note.with_user(self.billing).write({"body": "<p>Client relancé par téléphone, rappel lundi.</p>"})

    def test_acknowledgement_correction_keeps_the_first(self):
        notice = self._run(self._day(100), execute=False).action_ids.filtered(
            lambda a: a.channel == "registered_letter"
        )
        with freeze_time(self._day(100)):
            notice.with_context(force_report_rendering=True).action_execute()
        first = base64.b64encode(b"%PDF-1.4 first scan")
        notice.with_user(self.manager).write(
            {
                "registered_ack_date": date(2026, 6, 12),
                "registered_ack_scan": first,
                "registered_ack_scan_name": "ar.pdf",
            }
        )
        notice.with_user(self.manager).write(
            {"registered_ack_date": date(2026, 6, 13), "registered_ack_scan": base64.b64encode(b"%PDF-1.4 corrected")}
        )
        scans = self.env["ir.attachment"].search([("res_model", "=", notice._name), ("res_id", "=", notice.id)])
        replaced = scans.filtered(lambda a: not a.res_field and a.name.startswith("Replaced on"))
        self.assertEqual(replaced.raw, b"%PDF-1.4 first scan", "the first scan is kept")
        self.assertEqual(base64.b64decode(notice.registered_ack_scan), b"%PDF-1.4 corrected")
        self._attempt(self.admin, lambda u: replaced.with_user(u).unlink())
        links = self.env["recouvrement.evidence"].search(
            [("res_model", "=", notice._name), ("res_id", "=", notice.id), ("kind", "=", "acknowledgement")]
        )
        self.assertEqual(len(links), 3, "sent, then each entry added a link")

    def test_evidence_chain_cannot_be_written(self):
        link = self.env["recouvrement.evidence"].search([], limit=1)
        self.assertTrue(link)
        digest = link.digest
        self._attempt(self.manager, lambda u: link.with_user(u).write({"digest": "0" * 64}))
        self._attempt(self.admin, lambda u: link.with_user(u).unlink())
        self._attempt(
            self.agent,
            lambda u: self.env["recouvrement.evidence"]
            .with_user(u)
            .create({"company_id": self.company.id, "sequence": 999, "kind": "action", "res_model": "x", "res_id": 1,
                     "digest": "0", "hash": "0"}),
        )  # fmt: skip
        self.assertEqual(link.digest, digest)


# a 1 x 1 pixel PNG: a signature drawn on the portal
SIGNATURE = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="


@tagged("post_install", "-at_install")
class TestPlanEvidence(EvidenceCommon):
    """A payment plan moves through its buttons only, and its signature is evidence."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        debtor = cls._debtor("Signataire SARL")
        cls.plan_invoice = cls._invoice(debtor, 1200.0)
        with freeze_time(cls._day(30)):
            wizard = (
                cls.env["recouvrement.payment.plan.wizard"]
                .with_context(active_model="account.move", active_ids=cls.plan_invoice.ids)
                .create({"installment_count": 3, "first_date": cls._day(40)})
            )
            cls.plan = cls.env["recouvrement.payment.plan"].browse(wizard.action_create_plan()["res_id"])
            cls.plan.action_propose()
            # as the portal's controller does it, for the debtor who signs online
            cls.env["recouvrement.portal"].sudo().with_context(force_report_rendering=True)._sign_plan(
                debtor, cls.plan.id, "Jean Signataire", SIGNATURE, "203.0.113.7"
            )

    def test_signature_and_state_cannot_be_rewritten(self):
        plan = self.plan
        self.assertEqual(plan.state, "active")
        signed = plan.read(["signed_by", "signed_on", "signed_ip", "signed_date", "signed_document", "state"])[0]
        agreement = self.env["ir.attachment"].search(
            [("res_model", "=", plan._name), ("res_id", "=", plan.id), ("res_field", "=", "signed_document")]
        )
        self.assertTrue(agreement.collection_evidence)
        attempts = {
            "manager renames the signatory": (self.manager, {"signed_by": "Quelqu'un d'autre"}),
            "manager changes the IP address": (self.manager, {"signed_ip": "10.0.0.1"}),
            "admin changes the signature time": (self.admin, {"signed_on": "2026-01-01 10:00:00"}),
            "manager changes the signing date": (self.manager, {"signed_date": "2026-01-01"}),
            "admin removes the signed agreement": (self.admin, {"signed_document": False}),
            "agent replaces the signed agreement": (self.agent, {"signed_document": base64.b64encode(b"%PDF forged")}),
            "manager cancels the plan by hand": (self.manager, {"state": "cancelled"}),
            "admin reopens it as a draft": (self.admin, {"state": "draft"}),
        }
        for name, (user, vals) in attempts.items():
            with self.subTest(name):
                self._attempt(user, lambda u, vals=vals: plan.with_user(u).write(vals))
        for name, (user, attempt) in {
            "admin deletes the agreement attachment": (self.admin, lambda u: agreement.with_user(u).unlink()),
            "manager adds an installment to the active plan": (
                self.manager,
                lambda u: self.env["recouvrement.payment.plan.line"]
                .with_user(u)
                .create({"plan_id": plan.id, "date_due": self._day(200), "amount": 10.0}),
            ),
            "manager changes an installment": (
                self.manager,
                lambda u: plan.line_ids[:1].with_user(u).write({"amount": 1.0}),
            ),
            "agent creates a plan already active": (
                self.agent,
                lambda u: self.env["recouvrement.payment.plan"]
                .with_user(u)
                .create({"partner_id": plan.partner_id.id, "currency_id": plan.currency_id.id, "state": "active"}),
            ),
        }.items():
            with self.subTest(name):
                self._attempt(user, attempt)
        self.assertEqual(
            plan.read(["signed_by", "signed_on", "signed_ip", "signed_date", "signed_document", "state"])[0], signed
        )
        self.assertEqual(len(plan.line_ids), 3)

    def test_cancelled_plan_stays_cancelled(self):
        self.plan.action_cancel()
        with self.assertRaisesRegex(UserError, "cannot go from"):
            self.plan.sudo()._set_state("draft")
        self.assertEqual(self.plan.state, "cancelled")

    def test_agreement_is_sealed(self):
        link = self.env["recouvrement.evidence"].search(
            [("res_model", "=", self.plan._name), ("res_id", "=", self.plan.id), ("kind", "=", "agreement")],
            order="sequence desc",
            limit=1,
        )
        self.assertTrue(link)
        self.assertIsNone(self.env["recouvrement.evidence"]._check_chain(self.company))
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE recouvrement_payment_plan SET signed_ip = '198.51.100.1' WHERE id = %s", [self.plan.id]
        )
        self.env.invalidate_all()
        broken, reason = self.env["recouvrement.evidence"]._check_chain(self.company)
        self.assertEqual((broken, reason), (link, "its content changed since it was sealed"))


@tagged("post_install", "-at_install")
class TestRolesAndCompanies(EvidenceCommon):
    def test_block_and_contact_are_per_company(self):
        other = self.env["res.company"].create({"name": "Filiale Lyon Sud", "country_id": self.env.ref("base.fr").id})
        debtor_here = self.debtor.with_company(self.company)
        debtor_there = self.debtor.with_company(other)
        debtor_there.write({"collection_block_reason": "Litige global", "collection_block_until": date(2026, 12, 31)})
        self.assertFalse(debtor_here.collection_block_reason, "another company's block does not block this one")
        self.assertFalse(debtor_here._collection_is_blocked(self._day(14)))
        self.assertTrue(debtor_there._collection_is_blocked(self._day(14)))

    def test_agency_and_insurance_are_for_managers(self):
        insurer = self.env["res.partner"].create({"name": "Assureur Crédit SA", "is_company": True})
        for name, (user, vals) in {
            "agent sets the insurer": (self.agent, {"collection_insurer_id": insurer.id}),
            "agent raises the insured limit": (self.agent, {"collection_insured_limit": 90000.0}),
            "salesperson makes it an agency": (self.salesman, {"collection_agency": True}),
            "billing user sets the mandate date": (self.billing, {"collection_agency_mandate_date": "2026-01-01"}),
        }.items():
            with self.subTest(name):
                self._attempt(
                    user, lambda u, vals=vals: self.debtor.with_user(u).with_company(self.company).write(vals)
                )
        self.assertRecordValues(
            self.debtor.with_company(self.company),
            [{"collection_insurer_id": False, "collection_insured_limit": 0.0, "collection_agency": False}],
        )
        self.debtor.with_user(self.manager).with_company(self.company).collection_insurer_id = insurer
        self.assertEqual(self.debtor.with_company(self.company).collection_insurer_id, insurer)

    def test_anyone_who_creates_contacts_can_duplicate_one(self):
        self.debtor.with_user(self.manager).write({"collection_agency": True, "collection_agency_rate": 12.0})
        for user in (self.salesman, self.billing):  # who may create contacts
            with self.subTest(user.login):
                copy = self.debtor.with_user(user).copy()
                self.assertEqual(copy.name, f"{self.debtor.name} (copy)")
                self.assertFalse(copy.sudo().collection_agency_rate)

    def test_wizards_belong_to_their_author(self):
        call = self._run(self._day(30)).action_ids.filtered(lambda a: a.channel == "phone")
        note = (
            self.env["recouvrement.call.wizard"]
            .with_user(self.agent)
            .create({"action_id": call.id, "outcome": "promise", "promise_amount": 800.0, "note": "Confidentiel"})
        )
        other_agent = new_test_user(
            self.env,
            "coll_agent_2",
            groups="recouvrement_creances.group_recouvrement_agent",
            company_id=self.company.id,
            company_ids=self.company.ids,
        )
        self.assertFalse(self.env["recouvrement.call.wizard"].with_user(other_agent).search([("id", "=", note.id)]))
        self._attempt(other_agent, lambda u: note.with_user(u).read(["note"]))
        self._attempt(other_agent, lambda u: note.with_user(u).write({"promise_amount": 1.0}))
        self.assertEqual(note.promise_amount, 800.0)


@tagged("post_install", "-at_install")
class TestEvidenceChain(EvidenceCommon):
    def test_untouched_chain_matches(self):
        links = self.env["recouvrement.evidence"].search([("company_id", "=", self.company.id)])
        self.assertIn(
            self.email.id, links.filtered(lambda link: link.res_model == "recouvrement.action").mapped("res_id")
        )
        self.assertEqual(links.sorted("sequence").mapped("sequence"), list(range(1, len(links) + 1)))
        self.assertIsNone(self.env["recouvrement.evidence"]._check_chain(self.company))

    def test_a_call_logged_after_execution_keeps_the_chain(self):
        call = self._run(self._day(30)).action_ids.filtered(lambda a: a.channel == "phone")
        with freeze_time(self._day(31)):
            self.env["recouvrement.call.wizard"].with_user(self.agent).create(
                {"action_id": call.id, "outcome": "reached", "note": "Le comptable confirme le virement."}
            ).action_confirm()
        self.assertEqual(call.done_date.date(), self._day(31))
        self.assertIsNone(self.env["recouvrement.evidence"]._check_chain(self.company))
        kinds = (
            self.env["recouvrement.evidence"]
            .search([("res_model", "=", call._name), ("res_id", "=", call.id)], order="sequence")
            .mapped("kind")
        )
        self.assertEqual(kinds, ["action", "action", "call"])  # executed, then called

    def test_body_edited_in_sql_is_caught(self):
        self.env.flush_all()
        self.env.cr.execute("UPDATE mail_message SET body = '<p>Pas de relance.</p>' WHERE id = %s", [self.message.id])
        self.env.invalidate_all()
        self.env["recouvrement.evidence"].action_check_integrity(self.company)
        link = self.env["recouvrement.evidence"].search(
            [("res_model", "=", "recouvrement.action"), ("res_id", "=", self.email.id), ("kind", "=", "action")],
            order="sequence desc",
            limit=1,
        )
        self.assertFalse(self.company.collection_evidence_check_ok)
        self.assertIn(f"link no. {link.sequence}", self.company.collection_evidence_check_result)
        self.assertIn("its content changed since it was sealed", self.company.collection_evidence_check_result)
        self.assertTrue(self.company.collection_evidence_check_date)

    def test_line_amount_edited_in_sql_is_caught(self):
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE recouvrement_action_line SET amount_residual = 1 WHERE action_id = %s", [self.email.id]
        )
        self.env.invalidate_all()
        link, reason = self.env["recouvrement.evidence"]._check_chain(self.company)
        self.assertEqual((link.res_id, reason), (self.email.id, "its content changed since it was sealed"))

    def test_links_deleted_in_sql_are_caught(self):
        self._run(self._day(30))  # more links after the first
        Evidence = self.env["recouvrement.evidence"]
        links = Evidence.search([("company_id", "=", self.company.id)], order="sequence")
        self.assertGreater(len(links), 2)
        self.env.cr.execute("DELETE FROM recouvrement_evidence WHERE id = %s", [links[-1].id])
        self.env.invalidate_all()
        _record, reason = Evidence._check_chain(self.company)
        self.assertIn("executed actions have no link in the chain", reason)
        self.env.cr.execute("DELETE FROM recouvrement_evidence WHERE id = %s", [links[0].id])
        self.env.invalidate_all()
        link, reason = Evidence._check_chain(self.company)
        self.assertEqual((link.sequence, reason), (2, "link no. 1 is missing"))


@tagged("post_install", "-at_install")
class TestEvidenceOverHttp(EvidenceCommon, JsonRpcMixin, HttpCase):
    """The same attempts as real JSON-RPC calls of real users, through Odoo's web client routes."""

    def _error(self, login, route, params):
        """The error message a JSON-RPC call of ``login`` to ``route`` gets, as the web client shows it."""
        answer = self._json_rpc(login, route, params)
        self.assertIn("error", answer, "refused")
        return answer["error"]["data"]["message"]

    def _call(self, login, model, method, args):
        return self._error(
            login,
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": args, "kwargs": {"context": {"lang": "fr_FR"}}},
        )

    def test_rpc_attempts_are_refused_in_french(self):
        body = self.message.body
        for name, (login, model, method, args) in {
            "admin writes the reminder's body": (
                "coll_admin",
                "mail.message",
                "write",
                [[self.message.id], {"body": "x"}],
            ),
            "manager deletes the statement": ("coll_manager", "ir.attachment", "unlink", [self.statement.ids]),
            "billing user deletes the invoice's log": (
                "billing_clerk",
                "mail.message",
                "unlink",
                [self.chatter_log.ids],
            ),
        }.items():
            with self.subTest(name):
                self.assertIn("preuve", self._call(login, model, method, args))
        self.env.invalidate_all()
        self.assertEqual(self.message.body, body)
        self.assertTrue(self.statement.exists() and self.chatter_log.exists())

    def test_chatter_edit_route_is_refused(self):
        error = self._error(
            "coll_admin",
            "/mail/message/update_content",
            {"message_id": self.chatter_log.id, "update_data": {"body": "<p>effacé</p>", "attachment_ids": []}},
        )
        self.assertTrue(error)
        self.env.invalidate_all()
        self.assertIn("First reminder", self.chatter_log.body)
