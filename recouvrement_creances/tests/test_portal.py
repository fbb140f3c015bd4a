import re
from datetime import timedelta

from odoo import fields
from odoo.tests import Form, HttpCase, JsonRpcException, new_test_user, tagged

from .common import RecouvrementCommon

# a 1x1 PNG: what the signature widget sends, base64
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
        plan = self._propose(installment_count=12, down_payment=0)
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
        response = self._declare([("attachments", ("virement.pdf", b"%PDF-1.4 proof", "application/pdf"))])
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
        for upload in (("big.pdf", too_big, "application/pdf"), ("run.exe", b"MZ", "application/x-msdownload")):
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
