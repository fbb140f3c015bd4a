from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    """The demo database shows every collection situation, with dates relative to its install day."""

    def _demo(self, key):
        return self.env.ref(f"recouvrement_creances.demo_invoice_{key}")

    def test_addon_installed_with_demo(self):
        module = self.env["ir.module.module"].search([("name", "=", "recouvrement_creances")])
        self.assertRecordValues(module, [{"state": "installed", "demo": True}])
        self.assertEqual(self.env.company.chart_template, "fr")
        partners = self.env["res.partner"].browse(
            self.env["ir.model.data"]
            .search(
                [
                    ("module", "=", "recouvrement_creances"),
                    ("model", "=", "res.partner"),
                    ("name", "=like", "partner_%"),
                ]
            )
            .mapped("res_id")
        )
        self.assertEqual(len(partners), 40)
        self.assertGreaterEqual(len(partners.filtered("is_company")), 30)
        self.assertGreaterEqual(len(partners.filtered(lambda p: not p.is_company)), 5)

    def test_demo_invoices_cover_every_situation(self):
        day0 = self._demo("martin_1").invoice_date  # issued on the install day, due in 30 days
        for key, days in [
            ("martin_1", 30),
            ("dubois_1", 14),
            ("cafe_1", 0),
            ("bernard_1", -5),
            ("fabre_1", -20),
            ("alpes_1", -45),
            ("bouchon_1", -75),
            ("savoie_1", -120),
            ("renaud_1", -400),
        ]:
            invoice = self._demo(key)
            self.assertEqual(invoice.invoice_date_due, day0 + timedelta(days=days), key)
            self.assertRecordValues(
                invoice,
                [
                    {
                        "state": "posted",
                        "payment_state": "not_paid",
                        "amount_residual": invoice.amount_total,
                    }
                ],
            )
        eur = self.env.ref("base.EUR")
        self.assertRecordValues(
            self._demo("beaujolais_1") + self._demo("soieries_1") + self._demo("passage_1") + self._demo("srg_1"),
            [
                {"payment_state": "partial", "amount_residual": 2649.60, "currency_id": eur.id},
                {"payment_state": "paid", "amount_residual": 0.0, "currency_id": eur.id},
                {"payment_state": "reversed", "amount_residual": 0.0, "currency_id": eur.id},
                {"payment_state": "not_paid", "amount_residual": 6240.00, "currency_id": eur.id},
            ],
        )
        self.assertTrue(self._demo("srg_1").collection_dispute)
        self.assertFalse(self._demo("savoie_1").collection_dispute)
        usd = self._demo("atlantic_1") + self._demo("atlantic_2")
        self.assertEqual(usd.currency_id, self.env.ref("base.USD"))
        self.assertEqual(usd.mapped("amount_residual"), [9360.00, 5040.00])
        open_refund = self.env["account.move"].search(
            [
                ("partner_id", "=", self.env.ref("recouvrement_creances.partner_nettoyage_pro").id),
                ("move_type", "=", "out_refund"),
            ]
        )
        self.assertRecordValues(
            open_refund, [{"state": "posted", "payment_state": "not_paid", "amount_residual": 774.00}]
        )

    def test_demo_penalties_invoiced_and_waived(self):
        """Fromagerie de Savoie (120 days late) has a penalty invoice; Savonnerie de Provence's are waived."""
        charge = self._demo("savoie_1").collection_penalty_ids
        self.assertEqual(charge.state, "invoiced")
        self.assertEqual(charge.indemnity_amount, 40.0)
        self.assertGreater(charge.penalty_amount, 0.0)
        invoice = charge.invoice_id
        self.assertRecordValues(
            invoice,
            [
                {
                    "state": "posted",
                    "amount_tax": 0.0,
                    "amount_total": charge.penalty_amount + 40.0,
                    "move_type": "out_invoice",
                }
            ],
        )
        self.assertEqual(sorted(invoice.invoice_line_ids.mapped("account_id.code")), ["758100", "763100"])
        waived = self._demo("savonnerie_1").collection_penalty_ids
        self.assertRecordValues(
            waived,
            [
                {
                    "state": "waived",
                    "amount_charged": 0.0,
                    "indemnity_waived": 40.0,
                    "waiver_reason": "Geste commercial : client depuis douze ans, premier retard.",
                }
            ],
        )
        self.assertFalse(waived.invoice_id)
        self.assertIn("Geste commercial", self._demo("savonnerie_1").message_ids[0].body)

    def test_demo_formal_notice_and_letters_produced(self):
        """The formal notice to Fromagerie de Savoie was validated a week ago: its PDF is kept on the action."""
        notice = self.env["recouvrement.action"].search(
            [
                ("partner_id", "=", self.env.ref("recouvrement_creances.partner_fromagerie_savoie").id),
                ("channel", "=", "registered_letter"),
                ("state", "=", "done"),
            ]
        )
        self.assertEqual(len(notice), 1)
        self.assertEqual(notice.registered_number, "1A 184 293 5561 7")
        self.assertEqual(notice.notice_deadline, notice.registered_ack_date + timedelta(days=8))
        self.assertEqual(notice.letter_attachment_id.mimetype, "application/pdf")
        self.assertEqual(notice.letter_attachment_id.raw[:4], b"%PDF")
        # Élodie Simon has no email: her reminders went by post, each letter kept as a PDF
        letters = (
            self.env["recouvrement.action"]
            .search([("partner_id", "=", self.env.ref("recouvrement_creances.partner_particulier_simon").id)])
            .filtered(lambda a: a.channel == "letter")
        )
        self.assertTrue(letters)
        self.assertTrue(all(action.letter_attachment_id.raw[:4] == b"%PDF" for action in letters))

    def test_demo_payment_plans(self):
        plan = self._demo("studio_1").collection_payment_plan_ids
        self.assertRecordValues(plan, [{"state": "active", "amount_total": self._demo("studio_1").amount_residual}])
        self.assertEqual(len(plan.line_ids), 3)
        # Café des Arts paid its three installments on time
        completed = self._demo("cafe_0").collection_payment_plan_ids
        self.assertRecordValues(completed, [{"state": "completed", "progress": 100.0}])
        self.assertEqual(self._demo("cafe_0").payment_state, "paid")
        # Paysages Verts paid the first installment only: the plan broke, collection resumed
        broken = self._demo("paysage_1").collection_payment_plan_ids
        self.assertEqual(broken.state, "broken")
        self.assertEqual(broken.line_ids.mapped("state"), ["paid", "missed", "to_pay"])
        self.assertTrue(broken.activity_ids, "the collector is told")

    def test_demo_cases(self):
        def ref(name):
            return self.env.ref(f"recouvrement_creances.{name}")

        expected = {
            "partner_cabinet_architecte": ("legal", "case_stage_order"),
            "partner_particulier_marchand": ("legal", "case_stage_service"),
            "partner_particulier_roux": ("agency", "case_stage_formal_notice"),
            "partner_ets_gauthier": ("insurer", "case_stage_formal_notice"),
            # opened by the escalation of the day, validated by the manager
            "partner_fromagerie_savoie": ("legal", "case_stage_formal_notice"),
        }
        for partner, (case_type, stage) in expected.items():
            with self.subTest(partner=partner):
                case = ref(partner).collection_case_ids
                self.assertRecordValues(case, [{"case_type": case_type, "stage_id": ref(stage).id}])
                self.assertEqual(case.move_ids.collection_case_id, case)
        insured = ref("partner_ets_gauthier").collection_case_ids
        self.assertRecordValues(
            insured,
            [
                {
                    "insurer_id": ref("counsel_credit_insurer").id,
                    "insurer_cover": 90.0,
                    "insurer_claim_amount": insured.move_ids.amount_residual,
                }
            ],
        )
        self.assertEqual(
            ref("partner_particulier_roux").collection_case_ids.agency_id, ref("counsel_recouvrement_agency")
        )
        doubtful = ref("partner_particulier_marchand").collection_case_ids
        self.assertEqual(doubtful.amount_doubtful, doubtful.move_ids.amount_residual)
        self.assertEqual(doubtful.amount_impairment, doubtful.currency_id.round(doubtful._untaxed_residual() / 2))
        served = ref("partner_particulier_marchand").collection_case_ids
        self.assertEqual(served.court_kind, "judiciaire", "an individual goes to the tribunal judiciaire")
        self.assertLess(served.date_deadline, fields.Date.context_today(served), "its opposition period is over")

    def test_collection_menu_visibility(self):
        menu = self.env.ref("recouvrement_creances.menu_recouvrement_overdue")
        agent = new_test_user(self.env, "agent", groups="recouvrement_creances.group_recouvrement_agent")
        salesman = new_test_user(self.env, "salesman", groups="base.group_user")
        self.assertIn(menu.id, self.env["ir.ui.menu"].with_user(agent)._visible_menu_ids())
        self.assertNotIn(menu.id, self.env["ir.ui.menu"].with_user(salesman)._visible_menu_ids())
