import base64
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestTours(HttpCase):
    """The main screens, driven in Chromium by French-speaking users."""

    def _overdue_invoice(self, partner, days, amount=900.0):
        due = fields.Date.today() - timedelta(days=days)
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": due,
                "invoice_date_due": due,
                "invoice_line_ids": [Command.create({"name": "Maintenance", "quantity": 1, "price_unit": amount})],
            }
        )
        move.action_post()
        return move

    def _collector(self, login, groups=""):
        """A French-speaking collector (a collection agent, and ``groups``)."""
        return new_test_user(
            self.env,
            login,
            groups=",".join(filter(None, ["recouvrement_creances.group_recouvrement_agent", groups])),
            lang="fr_FR",
            tz="Europe/Paris",
        )

    def _debtor(self, name, **vals):
        return self.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "email": f"{name.replace(' ', '').lower()}@example.com",
                "street": "1 rue Centrale",
                "zip": "69002",
                "city": "Lyon",
                "lang": "fr_FR",
                **vals,
            }
        )

    def test_overdue_invoices_menu_in_french(self):
        """The admin (working in French) opens the collection menu and sees overdue invoices."""
        self.start_tour("/odoo", "recouvrement_menu_tour", login="admin")

    def test_collector_follows_a_customer_up_by_hand(self):
        collector = self._collector("follow_up_tour", "account.group_account_invoice")
        debtor = self._debtor("Tour Relance SARL")
        invoice = self._overdue_invoice(debtor, 20)
        self.start_tour(f"/odoo/res.partner/{debtor.id}", "recouvrement_follow_up_tour", login=collector.login)
        action = self.env["recouvrement.action"].search([("partner_id", "=", debtor.id)])
        self.assertRecordValues(
            action,
            [
                {
                    "channel": "email",
                    "state": "pending",
                    "is_manual": True,
                    "custom_text": "Suite à notre appel de ce matin, voici le détail.",
                }
            ],
        )
        self.assertIn("Suite à notre appel de ce matin", str(action.mail_message_id.body))
        self.assertFalse(invoice.collection_level_id, "a follow-up outside the schedule gives no level")

    def test_manager_reviews_excludes_and_executes(self):
        debtor_a, debtor_b = self._debtor("Tour Debtor A"), self._debtor("Tour Debtor B")
        self._overdue_invoice(debtor_a, 20)
        self._overdue_invoice(debtor_b, 20)
        self.start_tour("/odoo", "recouvrement_run_tour", login="admin")
        run = self.env["recouvrement.run"].search([], order="id desc", limit=1)
        actions = run.action_ids.filtered(lambda a: a.partner_id in debtor_a | debtor_b)
        self.assertRecordValues(
            actions.sorted(lambda a: a.partner_id.name),
            [
                {"partner_id": debtor_a.id, "state": "pending", "exclusion_reason": False},
                {
                    "partner_id": debtor_b.id,
                    "state": "cancelled",
                    "exclusion_reason": "Règlement annoncé par le client",
                },
            ],
        )
        self.assertTrue(actions.filtered(lambda a: a.partner_id == debtor_a).mail_message_id)

    def test_collector_logs_a_promise(self):
        collector = self._collector("collector_tour")
        debtor = self._debtor("Tour Caller")
        debtor.collection_user_id = collector
        invoice = self._overdue_invoice(debtor, 31)
        run = self.env["recouvrement.run"].create({"partner_ids": [Command.set(debtor.ids)]})
        run.action_propose_and_execute()
        call = run.action_ids.filtered(lambda a: a.channel == "phone")
        self.assertEqual(call.activity_ids.user_id, collector)
        self.start_tour("/odoo", "recouvrement_call_tour", login="collector_tour")
        self.assertRecordValues(call, [{"state": "done", "call_outcome": "promise"}])
        self.assertRecordValues(call.promise_id, [{"amount": 450.0, "date": fields.Date.to_date("2099-01-15")}])
        self.assertEqual(call.promise_id.move_ids, invoice)

    def test_manager_invoices_penalties_with_a_waiver(self):
        # the ECB table is taken as complete up to today, whenever the test runs
        self.env["ir.config_parameter"].set_param(
            "recouvrement_creances.ecb_rates_checked_until", fields.Date.to_string(fields.Date.today())
        )
        debtor = self._debtor("Tour Penalties")
        late = self._overdue_invoice(debtor, 20)
        self.start_tour(
            f"/odoo/action-account.res_partner_action_customer/{debtor.id}", "recouvrement_penalty_tour", login="admin"
        )
        charge = late.collection_penalty_ids
        # the wizard counts up to the user's today (Europe/Paris), which may already be tomorrow in UTC
        expected = late._collection_penalty_figures(charge.date_to)[late]
        self.assertRecordValues(
            charge,
            [
                {
                    "state": "invoiced",
                    "penalty_amount": expected["accrued"],
                    "indemnity_amount": 40.0,
                    "indemnity_waived": 40.0,
                    "waiver_reason": "Geste commercial",
                }
            ],
        )
        self.assertGreater(expected["accrued"], 0.0)
        self.assertEqual(charge.invoice_id.amount_total, expected["accrued"], "the indemnity waived is not invoiced")
        self.assertEqual(charge.invoice_id.state, "posted")

    def test_collector_negotiates_a_payment_plan(self):
        collector = self._collector("plan_collector")
        debtor = self._debtor("Tour Plan")
        invoice = self._overdue_invoice(debtor, 40)
        self.start_tour(
            f"/odoo/action-account.res_partner_action_customer/{debtor.id}",
            "recouvrement_payment_plan_tour",
            login="plan_collector",
        )
        plan = self.env["recouvrement.payment.plan"].search([("partner_id", "=", debtor.id)])
        self.assertRecordValues(plan, [{"state": "active", "move_ids": invoice.ids, "create_uid": collector.id}])
        self.assertEqual(plan.line_ids.mapped("amount"), [225.0, 225.0, 225.0, 225.0])

    def test_collector_moves_a_case_and_builds_its_evidence(self):
        self._collector("case_collector")
        debtor = self._debtor("Tour Contentieux")
        invoice = self._overdue_invoice(debtor, 200)
        case = self.env["recouvrement.case"]._open_for_moves(invoice)
        case.stage_id = self.env.ref("recouvrement_creances.case_stage_order")
        self.start_tour("/odoo/recouvrement-cases", "recouvrement_case_tour", login="case_collector")
        self.assertEqual(case.stage_id, self.env.ref("recouvrement_creances.case_stage_service"))
        self.assertEqual(case.date_deadline, fields.Date.add(fields.Date.context_today(case), months=1))
        self.assertEqual(base64.b64decode(case.evidence_file)[:4], b"%PDF")

    def test_manager_drills_from_the_dashboard_to_the_invoices(self):
        debtor = self._debtor("Tour Tableau de Bord")
        self._overdue_invoice(debtor, 120, amount=90000.0)
        self.env["recouvrement.solvency"]._files_of(debtor).action_compute_score()
        self.start_tour("/odoo/recouvrement-dashboard", "recouvrement_dashboard_tour", login="admin")

    def test_debtor_signs_a_plan_and_pays_online_from_the_emailed_link(self):
        debtor = self._debtor("Tour Portail Débiteur")
        invoice = self._overdue_invoice(debtor, 40, amount=1500.0)
        run = self.env["recouvrement.run"].create(
            {"date": fields.Date.today(), "partner_ids": [Command.set(debtor.ids)]}
        )
        run.action_propose()
        run.action_execute()
        email = run.action_ids.filtered(lambda action: action.channel == "email").mail_message_id
        link = self.env["recouvrement.portal.access"]._for_partners(debtor)[debtor]
        url = f"/my/recouvrement?access_token={link.token}"
        self.assertIn(url, email.body)
        self.start_tour(url, "recouvrement_portal_tour")
        plan = self.env["recouvrement.payment.plan"].search([("partner_id", "=", debtor.id)])
        self.assertRecordValues(plan, [{"state": "active", "signed_by": "Jean Portail", "portal_proposed": True}])
        self.assertEqual(plan.line_ids.mapped("amount"), [150.0, 675.0, 675.0])
        self.assertEqual(plan.line_ids.mapped("is_paid"), [True, False, False])
        self.assertEqual(invoice.amount_residual, 1350.0)
        self.assertEqual(base64.b64decode(plan.signed_document)[:4], b"%PDF")
        events = self.env["recouvrement.action"].search([("partner_id", "=", debtor.id), ("channel", "=", "portal")])
        self.assertEqual(set(events.mapped("portal_event")), {"plan", "signature", "payment"})
