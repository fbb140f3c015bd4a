import json
import logging
import re
import time
from datetime import timedelta

from odoo import fields
from odoo.tests import Form, HttpCase, JsonRpcException, new_test_user, tagged

from .common import RecouvrementCommon

# a 1x1 PNG: what the signature widget sends, base64
# the start of a real PDF and of a Windows program: what guess_mimetype reads
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
SIGNATURE = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="


@tagged("post_install", "-at_install")
class TestDebtorPortal(RecouvrementCommon, HttpCase):
    """The debtor's page and every route behind it, over HTTP: the owner gets through, anybody else gets a
    404 that says nothing, and every amount is the server's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        cls.invoice = cls._invoice(cls.debtor, 1500.0, due=cls.today - timedelta(days=40))
        cls.invoice_2 = cls._invoice(cls.debtor, 600.0, due=cls.today - timedelta(days=10))
        cls.credit = cls._invoice(cls.debtor, 100.0, due=cls.today, move_type="out_refund")
        cls.other = cls._debtor("Other Debtor")
        cls.other_invoice = cls._invoice(cls.other, 900.0, due=cls.today - timedelta(days=40))
        cls.Access = cls.env["recouvrement.portal.access"]
        cls.link = cls.Access._for_partners(cls.debtor)[cls.debtor]
        cls.other_link = cls.Access._for_partners(cls.other)[cls.other]
        cls.other_user = new_test_user(
            cls.env, "other_portal", groups="base.group_portal", partner_id=cls.other.id, company_id=cls.company.id
        )
        # Odoo's demo payment provider, in test mode, for this company
        cls.provider = (
            cls.env.ref("payment.payment_provider_demo")
            .sudo()
            .copy({"company_id": cls.company.id, "state": "test", "is_published": True})
        )
        cls.provider.journal_id = cls.company_data["default_journal_bank"]
        cls.reason = cls.env.ref("recouvrement_creances.dispute_reason_already_paid")
        cls.policy_b2b.write(
            {
                "portal_plan_max_installments": 6,
                "portal_plan_min_down_payment": 10.0,
                "portal_plan_max_months": 6,
                "portal_plan_min_amount": 100.0,
                "portal_promise_days": 30,
            }
        )

    def _url(self, path="", token=None, **params):
        query = "&".join(
            f"{key}={value}" for key, value in {"access_token": token or self.link.token, **params}.items()
        )
        return f"/my/recouvrement{path}?{query}"

    def _csrf(self, token=None):
        page = self.url_open(self._url(token=token)).text
        return re.search(r'csrf_token: "([^"]+)"', page).group(1)

    def _portal_actions(self, event):
        return self.env["recouvrement.action"].search(
            [("partner_id", "=", self.debtor.id), ("channel", "=", "portal"), ("portal_event", "=", event)]
        )

    # ------------------------------------------------------------------
    # Who gets in
    # ------------------------------------------------------------------

    def test_page_shows_the_owner_what_is_due(self):
        response = self.url_open(self._url())
        self.assertEqual(response.status_code, 200)
        page = response.text
        for name in (self.invoice.name, self.invoice_2.name, self.credit.name):
            self.assertIn(name, page)
        self.assertNotIn(self.other_invoice.name, page)
        # 1500 + 600 - 100, and the penalties to date of the invoice 40 days late (the 10-day one too)
        total = re.search(r'o_recouvrement_total[^>]*><span class="oe_currency_value">([^<]*)<', page)
        self.assertEqual(total.group(1).replace("\u00a0", " ").replace("\u202f", " "), "2 000,00")
        # the penalties to date of both late invoices
        penalties = re.search(r'o_recouvrement_penalties[^>]*><span class="oe_currency_value">([^<]*)<', page)
        self.assertRegex(penalties.group(1), r"^[1-9][0-9]*,[0-9]{2}$")

    def test_page_speaks_the_customer_language(self):
        self.debtor.lang = "fr_FR"
        self.assertIn("Pénalités de retard à ce jour", self.url_open(self._url()).text)
        self.debtor.lang = "en_US"
        page = self.url_open(self._url()).text
        self.assertIn("Late-payment penalties to date", page)
        self.assertNotIn("Pénalités de retard à ce jour", page)

    def test_page_follows_a_payment_at_once(self):
        def shown_total():
            page = self.url_open(self._url()).text
            total = re.search(r'o_recouvrement_total[^>]*><span class="oe_currency_value">([^<]*)<', page)
            return total.group(1).replace("\u00a0", " ").replace("\u202f", " ")

        self.assertEqual(shown_total(), "2 000,00")
        self.assertEqual(shown_total(), "2 000,00")  # the same content, kept
        self._pay(self.invoice, 500.0, self.today)
        self.assertEqual(shown_total(), "1 500,00")
        self._pay(self.invoice_2, 600.0, self.today)
        page = self.url_open(self._url()).text
        index = page.find(self.invoice_2.name)
        self.assertEqual(index, -1, page[index - 600 : index + 100])

    def test_bad_revoked_and_expired_tokens_get_a_bare_404(self):
        for token in ("not-a-token", self.link.token[:-1] + ("A" if self.link.token[-1] != "A" else "B"), ""):
            response = self.url_open(
                f"/my/recouvrement?access_token={token}" if token else "/my/recouvrement/statement"
            )
            self.assertEqual(response.status_code, 404, token)
            self.assertNotIn(self.debtor.name, response.text)
        self.link.sudo().date_expiry = self.today - timedelta(days=1)
        self.assertEqual(self.url_open(self._url()).status_code, 404)
        self.link.sudo().date_expiry = self.today + timedelta(days=30)
        self.assertEqual(self.url_open(self._url()).status_code, 200)
        self.link.with_user(self.agent).action_revoke()
        self.assertEqual(self.url_open(self._url()).status_code, 404)
        self.assertEqual(self.url_open(self._url("/statement")).status_code, 404)

    def test_the_link_is_random_and_in_every_reminder(self):
        self.assertGreaterEqual(len(self.link.token), 43)
        self.assertNotIn(str(self.debtor.id), self.link.token)
        self.assertNotEqual(self.link.token, self.other_link.token)
        # the same link while it is valid for long enough
        self.assertEqual(self.Access._for_partners(self.debtor)[self.debtor], self.link)
        run = self._run(self.today, partners=self.debtor)
        mail = run.action_ids.filtered(lambda action: action.channel == "email").mail_message_id
        self.assertTrue(mail)
        self.assertIn(f"/my/recouvrement?access_token={self.link.token}", mail.body)

    def test_another_customer_records_are_404(self):
        other_plan = self._plan(self.other_invoice, self.today + timedelta(days=5))
        self.authenticate("other_portal", "other_portal")
        # the logged-in portal user sees their own page, never the debtor's
        page = self.url_open("/my/recouvrement").text
        self.assertIn(self.other_invoice.name, page)
        self.assertNotIn(self.invoice.name, page)
        # the debtor's token cannot open another customer's plan, and the pay page refuses its invoice
        self.assertEqual(self.url_open(self._url(f"/plan/{other_plan.id}")).status_code, 404)
        self.assertEqual(self.url_open(self._url(f"/plan/{other_plan.id}/agreement")).status_code, 404)
        response = self.url_open(self._url("/pay", move_ids=self.other_invoice.id))
        self.assertIn("o_recouvrement_error", response.text)
        self.assertNotIn('name="o_payment_radio"', response.text)
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                f"/my/recouvrement/plan/{other_plan.id}/sign/{self.link.token}", {"name": "X", "signature": SIGNATURE}
            )

    def test_statement_pdf(self):
        response = self.url_open(self._url("/statement"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))

    # ------------------------------------------------------------------
    # Paying
    # ------------------------------------------------------------------

    def test_pay_page_and_transaction_amount_from_the_server(self):
        response = self.url_open(self._url("/pay", move_ids=self.invoice.id))
        self.assertEqual(response.status_code, 200)
        self.assertIn('name="o_payment_radio"', response.text)
        csrf = re.search(r'csrf_token: "([^"]+)"', response.text) or re.search(
            r'name="csrf_token" value="([^"]+)"', response.text
        )
        provider = self.provider
        params = {
            "provider_id": provider.id,
            "payment_method_id": provider.payment_method_ids[:1].id,
            "token_id": None,
            "flow": "direct",
            "tokenization_requested": False,
            "landing_route": "https://evil.example.com",
            "is_validation": False,
            "access_token": self.link.token,
            "csrf_token": csrf.group(1) if csrf else "",
        }
        route = f"/my/recouvrement/transaction/invoices-{self.invoice.id}"
        with self.assertRaises(JsonRpcException) as tampered:
            self.make_jsonrpc_request(route, params | {"amount": 1.0})
        self.assertIn("ValidationError", str(tampered.exception.args))
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(route, params | {"amount": 1500.0, "csrf_token": "forged"})
        self.make_jsonrpc_request(route, params | {"amount": 1500.0})
        transaction = self.env["payment.transaction"].search([("invoice_ids", "=", self.invoice.id)])
        self.assertRecordValues(transaction, [{"amount": 1500.0, "partner_id": self.debtor.id}])
        self.assertIn("/my/recouvrement?access_token=", transaction.landing_route)
        self.assertEqual(len(self._portal_actions("payment")), 1)

    # ------------------------------------------------------------------
    # Payment plan
    # ------------------------------------------------------------------

    def _propose(self, **values):
        data = {
            "csrf_token": self._csrf(),
            "move_ids": [self.invoice.id, self.invoice_2.id],
            "installment_count": 3,
            "down_payment": 10,
            "first_date": fields.Date.to_string(self.today),
            "amount": 1,  # a tampered total: ignored, the plan covers what the invoices owe
            **values,
        }
        response = self.url_open(self._url("/plan"), data=data)
        self.assertEqual(response.status_code, 200)
        return self.env["recouvrement.payment.plan"].search([("partner_id", "=", self.debtor.id)], limit=1)

    def test_plan_within_the_limits_is_accepted_and_signed(self):
        plan = self._propose()
        self.assertRecordValues(plan, [{"state": "proposed", "portal_proposed": True, "amount_total": 2100.0}])
        self.assertEqual(plan.line_ids.mapped("amount"), [210.0, 945.0, 945.0])
        page = self.url_open(self._url(f"/plan/{plan.id}")).text
        self.assertIn("o_recouvrement_plan_to_sign", page)
        result = self.make_jsonrpc_request(
            f"/my/recouvrement/plan/{plan.id}/sign/{self.link.token}", {"name": "Jean Martin", "signature": SIGNATURE}
        )
        self.assertTrue(result["force_refresh"])
        self.assertRecordValues(
            plan, [{"state": "active", "signed_by": "Jean Martin", "signed_ip": "127.0.0.1", "signed_date": self.today}]
        )
        self.assertTrue(plan.signed_on and plan.signature)
        self.assertTrue(plan.signed_document.startswith(b"JVBERi"))  # %PDF, base64
        self.assertEqual(self.url_open(self._url(f"/plan/{plan.id}/agreement")).content[:4], b"%PDF")
        self.assertEqual(self._portal_actions("plan").line_ids.move_id, self.invoice + self.invoice_2)
        self.assertEqual(self._portal_actions("signature").portal_ip, "127.0.0.1")
        # signed once
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                f"/my/recouvrement/plan/{plan.id}/sign/{self.link.token}", {"name": "X", "signature": SIGNATURE}
            )

    def test_plan_of_one_installment_is_the_whole_amount(self):
        plan = self._propose(installment_count=1, down_payment=30)
        self.assertRecordValues(plan, [{"state": "proposed", "amount_total": 2100.0}])
        self.assertEqual(plan.line_ids.mapped("amount"), [2100.0])

    def test_plan_beyond_the_limits_awaits_the_collector(self):
        self.debtor.with_company(self.company).sudo().collection_user_id = self.agent
        plan = self._propose(installment_count=4, down_payment=0)
        self.assertRecordValues(plan, [{"state": "draft", "portal_proposed": True}])
        self.assertEqual(plan.activity_ids.user_id, self.agent)
        page = self.url_open(self._url(f"/plan/{plan.id}")).text
        self.assertIn("o_recouvrement_plan_pending", page)
        self.assertNotIn("o_recouvrement_sign", page)
        # the collector approves: the debtor can sign
        plan.with_user(self.agent).action_propose()
        self.assertIn("o_recouvrement_sign", self.url_open(self._url(f"/plan/{plan.id}")).text)

    def test_a_collector_draft_plan_is_not_shown(self):
        wizard = Form(
            self.env["recouvrement.payment.plan.wizard"].with_context(
                active_model="account.move", active_ids=self.invoice.ids
            )
        )
        wizard.first_date = self.today + timedelta(days=10)
        plan = self.env["recouvrement.payment.plan"].browse(wizard.save().action_create_plan()["res_id"])
        self.assertEqual(plan.state, "draft")
        self.assertNotIn("o_recouvrement_plan_card", self.url_open(self._url()).text)
        self.assertEqual(self.url_open(self._url(f"/plan/{plan.id}")).status_code, 404)
        plan.action_propose()  # sent to the debtor: now shown, to sign
        self.assertIn("o_recouvrement_plan_to_sign", self.url_open(self._url()).text)

    def test_bad_plan_input_is_refused_with_nothing_created(self):
        for values in ({"installment_count": 0}, {"down_payment": 100}, {"first_date": "2001-01-01"}):
            self._propose(**values)
        self.assertFalse(self.env["recouvrement.payment.plan"].search([("partner_id", "=", self.debtor.id)]))
        response = self.url_open(
            self._url("/plan"), data={"move_ids": [self.invoice.id], "installment_count": 3, "first_date": "2030-01-01"}
        )
        self.assertEqual(response.status_code, 400)  # no CSRF token

    # ------------------------------------------------------------------
    # Dispute and promise
    # ------------------------------------------------------------------

    def _declare(self, files):
        reason = self.env.ref("recouvrement_creances.dispute_reason_already_paid")
        return self.url_open(
            self._url("/dispute"),
            data={
                "csrf_token": self._csrf(),
                "move_ids": [self.invoice.id],
                "reason_id": reason.id,
                "message": "Payé par virement le 3 mars.",
            },
            files=files,
        )

    def test_dispute_blocks_the_next_run(self):
        self.debtor.with_company(self.company).sudo().collection_user_id = self.agent
        response = self._declare([("attachments", ("virement.pdf", PDF, "application/pdf"))])
        dispute = self.env["recouvrement.dispute"].search([("partner_id", "=", self.debtor.id)])
        self.assertEqual(response.status_code, 200)
        self.assertIn(f"/my/recouvrement/dispute/{dispute.id}", response.url)
        self.assertRecordValues(self.invoice, [{"collection_dispute": True}])
        self.assertEqual(dispute.activity_ids.user_id, self.agent)
        attachment = self.env["ir.attachment"].search([("res_model", "=", dispute._name), ("res_id", "=", dispute.id)])
        self.assertEqual(attachment.mapped("name"), ["virement.pdf"])
        self.assertFalse(attachment.public)
        self.assertEqual(self._portal_actions("dispute").line_ids.move_id, self.invoice)
        run = self._run(self.today, execute=False, partners=self.debtor)
        claimed = run.action_ids.line_ids.filtered(lambda line: not line.excluded).move_id
        self.assertNotIn(self.invoice, claimed)
        self.assertIn(self.invoice_2, claimed)
        # the collector answers in the chatter, the debtor reads it on the dispute page
        dispute.message_post(
            body="Nous vérifions le virement.", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        page = self.url_open(self._url(f"/dispute/{dispute.id}")).text
        self.assertIn('data-res_model="recouvrement.dispute"', page)  # Odoo's portal chatter, with its token
        access = {"token": dispute.access_token, "pid": self.debtor.id, "hash": dispute._sign_token(self.debtor.id)}
        thread = {"thread_model": dispute._name, "thread_id": dispute.id}
        messages = self.make_jsonrpc_request("/mail/chatter_fetch", thread | access | {"fetch_params": {}})
        self.assertIn("Nous vérifions le virement.", str(messages))
        # the debtor answers from the page: the message is theirs, and logged as a portal action
        self.make_jsonrpc_request(
            "/mail/message/post",
            thread | access | {"post_data": {"body": "Voici le relevé bancaire.", "message_type": "comment"}},
        )
        answer = dispute.message_ids.filtered(lambda message: "Voici le relevé" in (message.body or ""))
        self.assertEqual(answer.author_id, self.debtor)
        self.assertEqual(self._portal_actions("dispute_message").line_ids.move_id, self.invoice)
        other_token_url = self._url(f"/dispute/{dispute.id}", token=self.other_link.token)
        self.assertEqual(self.url_open(other_token_url).status_code, 404)
        dispute.with_user(self.agent).action_resolve()
        self.assertFalse(self.invoice.collection_dispute)

    def test_promise_and_dispute_forms_open_on_the_ticked_invoices(self):
        for path in ("/promise", "/dispute"):
            page = self.url_open(self._url(path, move_ids=self.invoice.id)).text
            self.assertIn(f'name="move_ids" value="{self.invoice.id}"', page)
            self.assertNotIn(self.invoice_2.name, page)
            refused = self.url_open(self._url(path, move_ids=self.other_invoice.id))
            self.assertIn("o_recouvrement_error", refused.text)
            self.assertNotIn(self.other_invoice.name, refused.text)

    def test_tampered_ids_are_refused_cleanly(self):
        csrf = self._csrf()
        for path, data in (
            ("/promise", {"move_ids": ["x1"], "date": fields.Date.to_string(self.today), "amount": 10}),
            ("/dispute", {"move_ids": [self.invoice.id], "reason_id": "x", "message": "?"}),
        ):
            response = self.url_open(self._url(path), data={"csrf_token": csrf, **data})
            self.assertEqual(response.status_code, 200, path)
            self.assertIn("o_recouvrement_error", response.text, path)
        self.assertIn("o_recouvrement_error", self.url_open(self._url("/promise", move_ids="1e3")).text)
        self.assertFalse(self.env["recouvrement.dispute"].search([("partner_id", "=", self.debtor.id)]))

    def test_dispute_uploads_are_checked(self):
        too_big = b"0" * (10 * 1024 * 1024 + 1)
        for upload in (("big.pdf", too_big, "application/pdf"), ("run.exe", EXE, "application/x-msdownload")):
            response = self._declare([("attachments", upload)])
            self.assertIn("o_recouvrement_error", response.text)
        self.assertFalse(self.env["recouvrement.dispute"].search([("partner_id", "=", self.debtor.id)]))
        self.assertFalse(self.invoice.collection_dispute)

    def test_promise_pauses_the_reminders(self):
        data = {"csrf_token": self._csrf(), "move_ids": [self.invoice.id], "amount": 1500.0}
        too_far = fields.Date.to_string(self.today + timedelta(days=31))
        response = self.url_open(self._url("/promise"), data=data | {"date": too_far})
        self.assertIn("o_recouvrement_error", response.text)
        promised = fields.Date.to_string(self.today + timedelta(days=20))
        response = self.url_open(self._url("/promise"), data=data | {"amount": 1500.01, "date": promised})
        self.assertIn("o_recouvrement_error", response.text)
        self.assertFalse(self.env["recouvrement.promise"].search([("partner_id", "=", self.debtor.id)]))
        response = self.url_open(self._url("/promise"), data=data | {"date": promised})
        self.assertIn("message=promise", response.url)
        promise = self.env["recouvrement.promise"].search([("partner_id", "=", self.debtor.id)])
        self.assertRecordValues(promise, [{"amount": 1500.0, "date": self.today + timedelta(days=20), "state": "open"}])
        self.assertEqual(self._portal_actions("promise").line_ids.move_id, self.invoice)
        run = self._run(self.today, execute=False, partners=self.debtor)
        claimed = run.action_ids.line_ids.filtered(lambda line: not line.excluded).move_id
        self.assertNotIn(self.invoice, claimed)
        self.assertIn(self.invoice_2, claimed)

    # ------------------------------------------------------------------
    # Nothing given away: each attempt is refused, answers no 500, and changes nothing
    # ------------------------------------------------------------------

    def _dispute(self):
        """A dispute declared on the portal, and the access its page hands out to the chatter."""
        self._declare([("attachments", ("virement.pdf", PDF, "application/pdf"))])
        dispute = self.env["recouvrement.dispute"].search([("partner_id", "=", self.debtor.id)])
        page = self.url_open(self._url(f"/dispute/{dispute.id}")).text
        token = re.search(r'data-token="([^"]+)"', page).group(1)
        self.assertEqual(token, dispute.access_token)
        access = {"token": token, "pid": self.debtor.id, "hash": dispute._sign_token(self.debtor.id)}
        return dispute, access | {"thread_model": dispute._name, "thread_id": dispute.id}

    def _chatter_upload(self, access, name, data, mimetype):
        return self.url_open(
            "/mail/attachment/upload",
            data={
                "csrf_token": self._csrf(),
                "thread_id": access["thread_id"],
                "thread_model": access["thread_model"],
                "token": access["token"],
                "is_pending": "true",
            },
            files={"ufile": (name, data, mimetype)},
        )

    def _jsonrpc_error(self, route, params):
        """The message of the error a JSON-RPC call answers (the call must fail)."""
        response = self.url_open(
            route,
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        return response.json()["error"]["data"]["message"]

    def _chatter_works(self, access):
        """Whether the chatter's access still reads the dispute's messages (a refusal is a 404)."""
        try:
            self.make_jsonrpc_request("/mail/chatter_fetch", access | {"fetch_params": {}})
        except JsonRpcException:
            return False
        return True

    def test_file_types_come_from_the_content(self):
        response = self._declare([("attachments", ("facture.pdf", EXE, "application/pdf"))])
        self.assertIn("o_recouvrement_error", response.text)
        self.assertIn("facture.pdf", response.text)
        self.assertFalse(self.env["recouvrement.dispute"].search([("partner_id", "=", self.debtor.id)]))
        self.assertFalse(self.env["ir.attachment"].search([("name", "=", "facture.pdf")]))
        # a real PDF the browser calls a program is stored as what it is
        self._declare([("attachments", ("preuve.pdf", PDF, "application/x-msdownload"))])
        stored = self.env["ir.attachment"].search(
            [("name", "=", "preuve.pdf"), ("res_model", "=", "recouvrement.dispute")]
        )
        self.assertEqual(stored.mimetype, "application/pdf")

    def test_the_dispute_chatter_obeys_the_form_limits(self):
        dispute, access = self._dispute()
        before = self.env["ir.attachment"].search_count([])
        for name, data, mimetype in (
            ("relevé.pdf", EXE, "application/pdf"),
            ("page.html", b"<html><script>alert(1)</script></html>", "text/plain"),
            ("gros.pdf", PDF + b"0" * (10 * 1024 * 1024), "application/pdf"),
        ):
            response = self._chatter_upload(access, name, data, mimetype)
            self.assertEqual(response.status_code, 200, name)
            self.assertIn(name, response.json()["error"])
        self.assertEqual(self.env["ir.attachment"].search_count([]), before)
        # within the limits a file goes through, five at a time
        uploaded = self.env["ir.attachment"]
        for index in range(6):
            response = self._chatter_upload(access, f"note{index}.txt", b"Virement du 3 mars", "text/plain")
            uploaded |= uploaded.browse(response.json()["data"]["attachment_id"])
        self.assertEqual(set(uploaded.mapped("mimetype")), {"text/plain"})
        tokens = [attachment._get_ownership_token() for attachment in uploaded]
        post = access | {
            "post_data": {
                "body": "Six pièces",
                "message_type": "comment",
                "attachment_ids": uploaded.ids,
                "attachment_tokens": tokens,
            },
        }
        self.assertIn("5", self._jsonrpc_error("/mail/message/post", post))
        self.assertFalse(dispute.message_ids.filtered(lambda message: "Six pièces" in (message.body or "")))
        post["post_data"] |= {"attachment_ids": uploaded[:5].ids, "attachment_tokens": tokens[:5]}
        self.make_jsonrpc_request("/mail/message/post", post)
        posted = dispute.message_ids.filtered(lambda message: "Six pièces" in (message.body or ""))
        self.assertEqual(posted.attachment_ids, uploaded[:5])

    def test_revoking_the_link_closes_everything_the_page_handed_out(self):
        dispute, access = self._dispute()
        plan = self._propose()
        invoice_url = self._url(f"/invoice/{self.invoice.id}")
        page = self.url_open(self._url()).text
        self.assertIn(f"/my/recouvrement/invoice/{self.invoice.id}?access_token=", page)
        self.assertNotIn("/my/invoices/", page)  # no invoice link of Odoo's own, with a token of its own
        self.assertEqual(self.url_open(invoice_url).content[:4], b"%PDF")
        self.assertEqual(self.url_open(self._url(f"/invoice/{self.other_invoice.id}")).status_code, 404)
        self.assertTrue(self._chatter_works(access))
        self.link.with_user(self.agent).action_revoke()
        self.assertFalse(self._chatter_works(access))
        self.assertEqual(self.url_open(invoice_url).status_code, 404)
        self.assertEqual(self._chatter_upload(access, "note.txt", b"texte", "text/plain").status_code, 404)
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                "/mail/message/post", access | {"post_data": {"body": "Encore moi", "message_type": "comment"}}
            )
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                f"/my/recouvrement/plan/{plan.id}/sign/{self.link.token}", {"name": "X", "signature": SIGNATURE}
            )
        self.assertEqual(plan.state, "proposed")
        self.assertFalse(dispute.message_ids.filtered(lambda message: "Encore moi" in (message.body or "")))

    def test_an_expired_link_closes_the_chatter_and_a_new_link_gets_a_new_token(self):
        dispute, access = self._dispute()
        self.link.sudo().date_expiry = self.today - timedelta(days=1)
        self.assertFalse(self._chatter_works(access))
        new_link = self.Access._for_partners(self.debtor)[self.debtor]
        self.assertNotEqual(new_link, self.link)
        page = self.url_open(self._url(f"/dispute/{dispute.id}", token=new_link.token)).text
        new_token = re.search(r'data-token="([^"]+)"', page).group(1)
        self.assertNotEqual(new_token, access["token"])
        self.link.sudo().date_expiry = self.today + timedelta(days=30)  # even the old link valid again
        self.assertFalse(self._chatter_works(access))
        renewed = access | {"token": new_token, "hash": dispute._sign_token(self.debtor.id)}
        self.assertTrue(self._chatter_works(renewed))

    def test_the_debtor_words_reach_the_collector_as_text(self):
        self.debtor.with_company(self.company).sudo().collection_user_id = self.agent
        words = 'Payé <img src="https://pixel.example/t.png"> <a href="https://evil.example">ici</a>'
        self.url_open(
            self._url("/dispute"),
            data={
                "csrf_token": self._csrf(),
                "move_ids": [self.invoice.id],
                "reason_id": self.reason.id,
                "message": words,
            },
        )
        dispute = self.env["recouvrement.dispute"].search([("partner_id", "=", self.debtor.id)])
        note = str(dispute.activity_ids.note)
        self.assertIn("&lt;img", note)
        self.assertNotIn("<img", note)
        self.assertNotIn("<a ", note)
        for event in ("dispute",):
            self.assertNotIn("<img", str(self._portal_actions(event).note))
        page = self.url_open(self._url(f"/dispute/{dispute.id}")).text
        access = {
            "token": re.search(r'data-token="([^"]+)"', page).group(1),
            "pid": self.debtor.id,
            "hash": dispute._sign_token(self.debtor.id),
            "thread_model": dispute._name,
            "thread_id": dispute.id,
        }
        self.make_jsonrpc_request(
            "/mail/message/post",
            access | {"post_data": {"body": "Voir https://evil.example/x.png", "message_type": "comment"}},
        )
        logged = str(self._portal_actions("dispute_message").note)
        self.assertIn("https://evil.example/x.png", logged)
        self.assertNotIn("<a ", logged)
        self.assertNotIn("href", logged)

    def test_installments_are_capped_by_the_policy(self):
        for count in (7, 10000):
            response = self.url_open(
                self._url("/plan"),
                data={
                    "csrf_token": self._csrf(),
                    "move_ids": [self.invoice.id],
                    "installment_count": count,
                    "down_payment": 10,
                    "first_date": fields.Date.to_string(self.today),
                },
            )
            self.assertEqual(response.status_code, 200)
            error = re.search(r'o_recouvrement_error"[^>]*>([^<]*)<', response.text)
            self.assertIn("6", error.group(1))
            self.assertLess(len(response.content), 100_000)
        self.assertFalse(self.env["recouvrement.payment.plan"].search([("partner_id", "=", self.debtor.id)]))
        form = self.url_open(self._url("/plan")).text
        self.assertEqual(
            len(re.findall(r'<option value="\d+"', form.split('id="installment_count"')[1].split("</select>")[0])), 6
        )

    def test_bad_values_get_the_page_error_never_a_500(self):
        csrf = self._csrf()
        today = fields.Date.to_string(self.today)
        for token in ("abc\x00def", "%00", "A" * 5000, "é" * 40):
            response = self.url_open(f"/my/recouvrement?access_token={token}")
            self.assertEqual(response.status_code, 404, token[:20])
        plan_posts = [{"down_payment": value} for value in ("nan", "inf", "-inf", "1e308")] + [
            {"first_date": "9999-12-31"},
            {"first_date": "99999-01-01"},
            {"installment_count": "1e308"},
            {"installment_count": str(10**30)},
        ]
        for values in plan_posts:
            data = {"csrf_token": csrf, "move_ids": [self.invoice.id], "installment_count": 3, "first_date": today}
            response = self.url_open(self._url("/plan"), data=data | values)
            self.assertEqual(response.status_code, 200, values)
            self.assertIn("o_recouvrement_error", response.text, values)
        for values in ({"amount": "nan"}, {"amount": "inf"}, {"amount": "1e308"}, {"date": "9999-12-31"}):
            data = {"csrf_token": csrf, "move_ids": [self.invoice.id], "amount": 100, "date": today}
            response = self.url_open(self._url("/promise"), data=data | values)
            self.assertEqual(response.status_code, 200, values)
            self.assertIn("o_recouvrement_error", response.text, values)
        huge = 10**12
        for path in (f"/plan/{huge}", f"/plan/{huge}/agreement", f"/dispute/{huge}", f"/invoice/{huge}"):
            self.assertEqual(self.url_open(self._url(path)).status_code, 404, path)
        for selection in (f"installment-{huge}", f"invoices-{huge}"):
            response = self.url_open(self._url("/pay", selection=selection))
            self.assertEqual(response.status_code, 200, selection)
            self.assertIn("o_recouvrement_error", response.text)
        response = self.url_open(self._url("/pay", move_ids=huge))
        self.assertIn("o_recouvrement_error", response.text)
        data = {"csrf_token": csrf, "move_ids": [self.invoice.id], "reason_id": huge, "message": "x"}
        self.assertIn("o_recouvrement_error", self.url_open(self._url("/dispute"), data=data).text)
        route = f"/my/recouvrement/transaction/invoices-{self.invoice.id}"
        for amount in ("nan", "inf", "1e308"):
            with self.assertRaises(JsonRpcException) as refused:
                self.make_jsonrpc_request(
                    route, {"access_token": self.link.token, "amount": amount, "csrf_token": csrf}
                )
            self.assertIn("ValidationError", str(refused.exception.args), amount)
        # a NUL in the debtor's words is dropped, the dispute is recorded
        data = {
            "csrf_token": csrf,
            "move_ids": [self.invoice.id],
            "reason_id": self.reason.id,
            "message": "Payé\x00 le 3",
        }
        self.url_open(self._url("/dispute"), data=data)
        dispute = self.env["recouvrement.dispute"].search([("partner_id", "=", self.debtor.id)])
        self.assertEqual(dispute.description, "Payé le 3")
        self.assertFalse(self.env["recouvrement.payment.plan"].search([("partner_id", "=", self.debtor.id)]))
        self.assertFalse(self.env["recouvrement.promise"].search([("partner_id", "=", self.debtor.id)]))

    def test_pages_send_no_referrer_and_refuse_frames(self):
        plan = self._propose()
        for path in (
            "",
            "/statement",
            "/plan",
            f"/plan/{plan.id}",
            "/pay?selection=all",
            f"/invoice/{self.invoice.id}",
        ):
            url = self._url(path) if "?" not in path else self._url(path.split("?")[0], selection="all")
            response = self.url_open(url, allow_redirects=False)
            self.assertEqual(response.status_code, 200, path)
            self.assertEqual(response.headers.get("Referrer-Policy"), "no-referrer", path)
            self.assertEqual(response.headers.get("X-Frame-Options"), "DENY", path)
            self.assertIn("frame-ancestors 'none'", response.headers.get("Content-Security-Policy", ""), path)

    def test_the_token_is_masked_in_the_server_log(self):
        lines = []
        handler = logging.Handler()
        handler.emit = lambda record: lines.append(record.getMessage())
        logger = logging.getLogger("werkzeug")  # the request log of Odoo's HTTP server
        level = logger.level
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        try:
            self.url_open(self._url("/statement"))
            self.url_open(
                f"/my/recouvrement/plan/1/sign/{self.link.token}",
                data="{}",
                headers={"Content-Type": "application/json"},
            )
            for _wait in range(50):  # the line is written once the answer is sent
                if len([line for line in lines if "/my/recouvrement" in line]) >= 2:
                    break
                time.sleep(0.1)
        finally:
            logger.removeHandler(handler)
            logger.setLevel(level)
        logged = [line for line in lines if "/my/recouvrement" in line]
        self.assertEqual(len(logged), 2, lines)
        self.assertIn("/my/recouvrement/statement?access_token=*** HTTP", logged[0])
        self.assertIn("/sign/*** HTTP", logged[1])
        self.assertNotIn(self.link.token, "\n".join(lines))

    def test_repeated_bad_tokens_are_slowed_then_refused(self):
        Throttle = self.env["recouvrement.portal.throttle"]
        Throttle.sudo().search([("address", "=", "127.0.0.1")]).unlink()  # failures of earlier visits of this address
        slow_after, block_after, _window, delay = Throttle._limits()
        for attempt in range(1, block_after + 1):
            started = time.monotonic()
            response = self.url_open(f"/my/recouvrement?access_token=guess{attempt:04d}xxxxxxxxxxxxxx")
            self.assertEqual(response.status_code, 404)
            if attempt > slow_after:
                self.assertGreaterEqual(time.monotonic() - started, delay, attempt)  # slowed, at least the delay
        # past the limit, even the right token is refused for a while, over HTTP and JSON-RPC alike
        refused = self.url_open(self._url())
        self.assertEqual(refused.status_code, 429)
        self.assertNotIn(self.debtor.name, refused.text)
        self.assertEqual(Throttle.sudo().search([("address", "=", "127.0.0.1")]).failures, block_after)
        # a logged-in debtor does not use a token: not affected
        self.authenticate("other_portal", "other_portal")
        self.assertEqual(self.url_open("/my/recouvrement").status_code, 200)
        # once the window has passed, the right token opens the page again
        Throttle.sudo().search([("address", "=", "127.0.0.1")]).window_start = fields.Datetime.now() - timedelta(
            hours=1
        )
        self.env.flush_all()
        self.assertEqual(self.url_open(self._url()).status_code, 200)
