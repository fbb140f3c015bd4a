import json
from contextlib import contextmanager
from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import Form, new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.mail.tests.common import MailCommon

DUE = date(2026, 3, 2)


class RecouvrementCommon(AccountTestInvoicingCommon, MailCommon):
    """A French company with the default collection policies, a manager, an agent and a salesperson."""

    @classmethod
    @AccountTestInvoicingCommon.setup_country("fr")
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.company.collection_auto_run = True
        cls.env["res.company"].search([("id", "!=", cls.company.id)]).collection_auto_run = False
        cls.env.user.group_ids += cls.env.ref("recouvrement_creances.group_recouvrement_manager")
        cls.env.user.lang = "en_US"  # the logs speak the user's language: keep the assertions in English
        cls.policy_b2b = cls.company._collection_default_policy("b2b")
        cls.policy_b2c = cls.company._collection_default_policy("b2c")
        cls.levels = {level.offset_days: level for level in cls.policy_b2b.level_ids}
        # what letters print in their letterhead and payment instructions
        cls.company.company_registry = "84213750700013"
        cls.company_bank = cls.env["res.partner.bank"].create(
            {
                "partner_id": cls.company.partner_id.id,
                "acc_number": "FR76 3000 6000 0112 3456 7890 189",
                "bank_id": cls.env["res.bank"].create({"name": "Banque Test", "bic": "BTSTFRPPXXX"}).id,
            }
        )
        cls.manager = new_test_user(
            cls.env,
            "coll_manager",
            groups="recouvrement_creances.group_recouvrement_manager",
            company_id=cls.company.id,
            company_ids=cls.company.ids,
            email="manager@example.com",
        )
        cls.agent = new_test_user(
            cls.env,
            "coll_agent",
            groups="recouvrement_creances.group_recouvrement_agent",
            company_id=cls.company.id,
            company_ids=cls.company.ids,
        )
        cls.salesman = new_test_user(
            cls.env,
            "salesman",
            groups="base.group_user,base.group_partner_manager",
            company_id=cls.company.id,
            company_ids=cls.company.ids,
        )
        cls.debtor = cls._debtor("Debtor One")

    @classmethod
    def _debtor(cls, name, is_company=True, email=True, **vals):
        slug = name.lower().replace(" ", ".")
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": is_company,
                "email": f"{slug}@example.com" if email else False,
                "street": "1 rue de la Paix",
                "zip": "69001",
                "city": "Lyon",
                "country_id": cls.env.ref("base.fr").id,
                **vals,
            }
        )

    @classmethod
    def _invoice(cls, partner, amount, due=DUE, currency=None, move_type="out_invoice", invoice_date=None):
        """A posted invoice (or credit note) without tax, due on ``due`` (and dated then, by default)."""
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "invoice_date": invoice_date or due,
                "invoice_date_due": due,
                "currency_id": (currency or cls.company.currency_id).id,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Service", "quantity": 1, "price_unit": amount, "tax_ids": [Command.clear()]}
                    )
                ],
            }
        )
        move.action_post()
        return move

    def _pay(self, invoice, amount, on_date):
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
            {"amount": amount, "payment_date": on_date}
        )._create_payments()

    def _plan(self, invoices, first, count=3, **values):
        """A plan negotiated through the wizard on ``first`` - 10 days, activated."""
        with freeze_time(first - timedelta(days=10)):
            form = Form(
                self.env["recouvrement.payment.plan.wizard"].with_context(
                    active_model="account.move", active_ids=invoices.ids
                )
            )
            form.first_date = first
            form.installment_count = count
            for name, value in values.items():
                setattr(form, name, value)
            plan = self.env["recouvrement.payment.plan"].browse(form.save().action_create_plan()["res_id"])
            plan.action_activate()
        return plan

    @contextmanager
    def mock_mail_gateway(self, *args, **kwargs):
        self._mail_mocked = getattr(self, "_mail_mocked", 0) + 1
        try:
            with super().mock_mail_gateway(*args, **kwargs):
                yield
        finally:
            self._mail_mocked -= 1

    def _deliver(self):
        """Send the queued emails as the mail queue does, through Odoo's test SMTP gateway: a reminder counts as
        had once it has left."""
        if getattr(self, "_mail_mocked", 0):
            self.env["mail.mail"].sudo().process_email_queue()
        else:
            with self.mock_mail_gateway():
                self.env["mail.mail"].sudo().process_email_queue()

    def _run(self, on_date, execute=True, partners=None, deliver=True):
        """A run proposed on ``on_date``, executed (unless ``execute`` is false) and its emails delivered (unless
        ``deliver`` is false)."""
        with freeze_time(on_date):
            run = self.env["recouvrement.run"].create(
                {
                    "date": on_date,
                    "company_id": self.company.id,
                    "partner_ids": [Command.set(partners.ids)] if partners else [],
                }
            )
            run.action_propose()
            if execute and run.state == "proposed":
                run.action_execute()
                if deliver:
                    self._deliver()
        return run

    def _cron(self, on_date):
        """The daily cron as the scheduler runs it (its commits are savepoints of the test)."""
        with freeze_time(on_date), self.enter_registry_test_mode():
            self.env.ref("recouvrement_creances.ir_cron_recouvrement_daily").method_direct_trigger()

    def _actions(self, partner=None):
        return self.env["recouvrement.action"].search(
            [("partner_id", "=", (partner or self.debtor).id)], order="date, level_id, channel"
        )

    @staticmethod
    def _day(offset):
        return DUE + timedelta(days=offset)

    @contextmanager
    def _count_queries(self):
        counter = {"count": 0}
        start = self.env.cr.sql_log_count
        yield counter
        counter["count"] = self.env.cr.sql_log_count - start


class JsonRpcMixin:
    """For an ``HttpCase``: the calls of a real user (made by ``new_test_user``) as the web client makes them, over
    JSON-RPC."""

    def _json_rpc(self, login, route, params):
        """The JSON-RPC answer of ``login``'s call to ``route``: its ``result`` or its ``error``."""
        self.authenticate(login, login + "x" * (8 - len(login)))  # new_test_user's password
        # json.dumps writes what a hostile client may send (Infinity, NaN), which requests' json= refuses
        response = self.opener.post(
            f"{self.base_url()}{route}",
            data=json.dumps({"id": 0, "jsonrpc": "2.0", "method": "call", "params": params}),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        return response.json()

    def _call_kw(self, login, model, method, args, context):
        """The JSON-RPC answer of ``model.method(*args)`` called by ``login`` through /web/dataset/call_kw."""
        return self._json_rpc(
            login,
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": args, "kwargs": {"context": context}},
        )
