import base64
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from ..tools.evidence import page_count
from .common import RecouvrementCommon
from .test_letters import pdf_text


@tagged("post_install", "-at_install")
class TestCases(RecouvrementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stages = {
            key: cls.env.ref(f"recouvrement_creances.case_stage_{key}")
            for key in ("formal_notice", "request", "order", "service", "recovered", "irrecoverable")
        }

    def _case(self, invoices, on_date=date(2026, 6, 1)):
        with freeze_time(on_date):
            return self.env["recouvrement.case"]._open_for_moves(invoices)

    def test_escalation_opens_a_case_and_the_invoices_leave_the_run(self):
        invoice = self._invoice(self.debtor, 1000.0)  # due 2 March 2026
        self.debtor.with_company(self.company).collection_user_id = self.agent
        with self.mock_mail_gateway():
            self._run(self._day(100))  # the formal notice, executed by the manager
            run = self._run(self._day(115))
        escalation = run.action_ids.filtered(lambda a: a.channel == "escalation")
        self.assertEqual(escalation.state, "done")
        case = escalation.case_id
        # 3 March .. 25 June 2026: 115 days at 12.15 %: 1000 x 12.15 % x 115 / 365 = 38.280... -> 38.28
        self.assertRecordValues(
            case,
            [
                {
                    "partner_id": self.debtor.id,
                    "move_ids": invoice.ids,
                    "case_type": "legal",
                    "stage_id": self.stages["formal_notice"].id,
                    "date_open": self._day(115),
                    "user_id": self.agent.id,
                    "amount_principal": 1000.0,
                    "amount_penalties": 38.28,
                    "amount_indemnity": 40.0,
                    "amount_claimed": 1078.28,
                    "court_kind": "commerce",
                }
            ],
        )
        self.assertRegex(case.name, r"^CTX/2026/\d{4}$")
        self.assertEqual((invoice.collection_case_id, invoice.collection_case_stage_id), (case, case.stage_id))
        self.assertIn(case.name, escalation.activity_ids.summary)
        self.assertTrue(invoice.message_ids.filtered(lambda m: f"contentious case {case.name}" in m.body))
        with self.mock_mail_gateway():
            later = self._run(self._day(160), execute=False)
        self.assertFalse(later.action_ids, "the case's invoices are out of the dunning run")
        self.assertEqual(
            self.env["account.move"].search([("collection_case_stage_id", "=", case.stage_id.id)]), invoice
        )

    def test_escalation_claims_only_the_debts_due(self):
        invoice = self._invoice(self.debtor, 1000.0)  # due 2 March 2026
        credit = self._invoice(self.debtor, 50.0, move_type="out_refund")
        with self.mock_mail_gateway():
            self._run(self._day(100))
            not_due = self._invoice(self.debtor, 300.0, due=self._day(130))
            run = self._run(self._day(115))
        case = run.action_ids.filtered(lambda a: a.channel == "escalation").case_id
        self.assertEqual(case.move_ids, invoice, "neither the credit note nor the invoice not due yet")
        self.assertFalse((credit | not_due).collection_case_id)

    def test_stage_deadlines(self):
        invoice = self._invoice(self.debtor, 1000.0)
        case = self._case(invoice)
        self.assertFalse(case.date_deadline, "no deadline while the formal notice stands")
        with freeze_time("2026-07-10"):
            case.stage_id = self.stages["order"]
        self.assertEqual((case.stage_date, case.date_deadline), (date(2026, 7, 10), date(2027, 1, 10)))
        activity = case.activity_ids
        self.assertRecordValues(
            activity,
            [
                {
                    "date_deadline": date(2027, 1, 10),
                    "summary": "Serve the order on the debtor (it lapses after 6 months)",
                }
            ],
        )
        # the order was in fact served on 31 January 2027: one month to oppose, to 28 February
        with freeze_time("2027-02-02"):
            case.write({"stage_id": self.stages["service"].id, "stage_date": date(2027, 1, 31)})
        self.assertEqual(case.date_deadline, date(2027, 2, 28))
        self.assertEqual(case.activity_ids.date_deadline, date(2027, 2, 28), "the order's reminder is replaced")
        # a stage entered late shows a deadline already passed: the case is listed as overdue
        with freeze_time("2027-03-05"):
            self.assertIn(
                case,
                self.env["recouvrement.case"].search(
                    [("date_deadline", "<", date(2027, 3, 5)), ("is_closed", "=", False)]
                ),
            )

    def test_recovered_only_when_nothing_is_outstanding(self):
        invoice = self._invoice(self.debtor, 1000.0)
        case = self._case(invoice)
        case.amount_penalties = 50.0
        self._pay(invoice, 1000.0, date(2026, 7, 1))
        self.assertEqual((case.amount_recovered, case.amount_outstanding), (1000.0, 90.0))
        with self.assertRaisesRegex(UserError, "still has 90.00"):
            case.stage_id = self.stages["recovered"]
        self.assertEqual(case.stage_id, self.stages["formal_notice"])
        case.write({"amount_penalties": 0.0, "amount_indemnity": 0.0})
        case.stage_id = self.stages["recovered"]
        self.assertTrue(case.is_closed)
        self.assertFalse(invoice.collection_case_id, "a closed case frees its invoices")

    def test_costs_are_claimed(self):
        invoice = self._invoice(self.debtor, 1000.0)
        case = self._case(invoice)
        form = Form(case)
        with form.cost_ids.new() as cost:
            cost.kind = "court"
            cost.name = "Frais de greffe"
            cost.amount = 33.47
        with form.cost_ids.new() as cost:
            cost.kind = "commissaire"
            cost.name = "Signification de l'ordonnance"
            cost.amount = 61.85
        form.save()
        self.assertEqual(case.amount_costs, 95.32)
        self.assertEqual(
            case.amount_claimed,
            case.currency_id.round(case.amount_principal + case.amount_penalties + case.amount_indemnity + 95.32),
        )

    def test_bad_input(self):
        invoice = self._invoice(self.debtor, 1000.0)
        paid = self._invoice(self.debtor, 100.0)
        self._pay(paid, 100.0, date(2026, 3, 5))
        with self.assertRaisesRegex(UserError, "still open"):
            self._case(invoice | paid)
        self.assertFalse(self.env["recouvrement.case"].search([("partner_id", "=", self.debtor.id)]))
        case = self._case(invoice)
        with self.assertRaisesRegex(UserError, "already in an open case"):
            self._case(invoice)
        with self.assertRaisesRegex(UserError, "archive it instead"):
            case.stage_id.unlink()
        with freeze_time("2026-06-02"), self.assertRaisesRegex(UserError, "open contentious case"):
            self.env["recouvrement.payment.plan.wizard"].with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create({"first_date": date(2026, 7, 1)}).action_create_plan()
        other = self._invoice(self.debtor, 500.0)
        with freeze_time("2026-06-01"):
            plan_wizard = (
                self.env["recouvrement.payment.plan.wizard"]
                .with_context(active_model="account.move", active_ids=other.ids)
                .create({"first_date": date(2026, 7, 1)})
            )
            plan = self.env["recouvrement.payment.plan"].browse(plan_wizard.action_create_plan()["res_id"])
            plan.action_activate()
        with self.assertRaisesRegex(UserError, "active payment plan"):
            self._case(other)

    def test_evidence_file(self):
        """The whole amicable history of a debt, as a court wants it: numbered exhibits, in order, with a table."""
        invoice = self._invoice(self.debtor, 1000.0)  # due 2 March 2026
        self.company.partner_id.lang = "fr_FR"
        self.env.user.tz = "Europe/Paris"
        with self.mock_mail_gateway():
            self._run(self._day(14))  # first reminder email
            self.env["mail.mail"].sudo().process_email_queue()  # sent: only what was sent is evidence
            call = self._run(self._day(30)).action_ids.filtered(lambda a: a.channel == "phone")
            with freeze_time("2026-04-01 09:30:00"):
                self.env["recouvrement.call.wizard"].create(
                    {"action_id": call.id, "outcome": "reached", "note": "Le comptable promet de relancer."}
                ).action_confirm()
            self._pay(invoice, 200.0, self._day(40))
            # the letter is kept as a PDF, as outside tests
            self.env = self.env(context=dict(self.env.context, force_report_rendering=True))
            notice = self._run(self._day(100)).action_ids.filtered(lambda a: a.channel == "registered_letter")
        notice.write({"registered_number": "1A 123 456 7890 1", "registered_ack_date": self._day(103)})
        case = self._case(invoice, self._day(120))
        pdf = case.with_context(lang="fr_FR")._generate_evidence()
        self.assertEqual(base64.b64decode(case.evidence_file), pdf)
        self.assertEqual(case.evidence_file_name, f"Dossier de preuves {case.name.replace('/', '-')}.pdf")
        toc = " ".join(pdf_text(pdf, page=1).split())
        titles = [
            "Résumé de la créance",
            f"Facture {invoice.name} du 02/03/2026",
            "Conditions de paiement",
            "Relances par courriel",
            "Journal des appels",
            "Mise en demeure du 10/06/2026",
            "Lettre recommandée : envoi et avis de réception",
            "Paiements reçus",
        ]
        positions = [toc.find(title) for title in titles]
        self.assertNotIn(-1, positions, toc)
        self.assertEqual(positions, sorted(positions), "the exhibits are in the court's order")
        text = " ".join(pdf_text(pdf).split())
        self.assertIn("Pièce 1 – page 1/1", text)
        self.assertIn("1A 123 456 7890 1", text)
        self.assertIn("Le comptable promet de relancer.", text)
        self.assertRegex(text, r"01/04/2026 11:30 \S.* Joint Le comptable promet de relancer\.")
        self.assertIn("200,00", text)
        self.assertEqual(page_count(pdf), 1 + len(titles), "the table, then one page per exhibit")
        self.assertIn("Dossier de preuves généré : 8 pièces", case.message_ids[0].body)

    def test_a_proposal_skips_invoices_handed_over_since(self):
        invoice = self._invoice(self.debtor, 1000.0)
        other = self._invoice(self.debtor, 500.0)
        with self.mock_mail_gateway():
            run = self._run(self._day(14), execute=False)
            email = run.action_ids.filtered(lambda a: a.channel == "email")
            self.assertEqual(email.line_ids.move_id, invoice | other)
            self._case(invoice, self._day(14))
            run.action_execute()
        self.assertEqual(email.line_ids.filtered("excluded").move_id, invoice)
        self.assertEqual(
            email.line_ids.filtered("excluded").exclusion_reason,
            "In a contentious case since the proposal",
        )
        self.assertNotIn(invoice.name, email.mail_message_id.body)
        self.assertIn(other.name, email.mail_message_id.body)

    def test_prescription_date_and_its_interruptions(self):
        invoice = self._invoice(self.debtor, 1000.0)  # due 2 March 2026, a business: 5 years
        self.assertEqual(invoice.collection_prescription_date, date(2031, 3, 2))
        consumer = self._debtor("Consumer", is_company=False)
        personal = self._invoice(consumer, 300.0)
        self.assertEqual(personal.collection_prescription_date, date(2028, 3, 2), "2 years against a consumer")
        # a partial payment acknowledges the debt: a new period starts
        self._pay(personal, 100.0, date(2026, 9, 15))
        self.assertEqual(personal.collection_prescription_date, date(2028, 9, 15))
        # so does a court claim: the injunction request
        case = self._case(invoice, date(2026, 10, 1))
        self.assertEqual(invoice.collection_prescription_date, date(2031, 3, 2), "the formal notice does not")
        with freeze_time("2027-01-04"):
            case.stage_id = self.stages["request"]
        self.assertEqual(case.date_interruption, date(2027, 1, 4))
        self.assertEqual(invoice.collection_prescription_date, date(2032, 1, 4))
        with freeze_time("2031-11-01"):
            self.assertFalse(
                self.env["account.move"]._collection_warn_prescription() & invoice,
                "before the court, prescription does not run (Code civil 2242)",
            )
        # the order became enforceable: 10 years to enforce it (CPCE L111-4)
        with freeze_time("2027-06-01"):  # a stage is entered on a day already come
            case.write(
                {"stage_id": self.env.ref("recouvrement_creances.case_stage_title").id, "stage_date": date(2027, 6, 1)}
            )
        self.assertEqual(invoice.collection_prescription_date, date(2037, 6, 1))

    def test_signed_plan_interrupts_prescription_and_the_watch_warns(self):
        consumer = self._debtor("Old Consumer", is_company=False)
        consumer.with_company(self.company).collection_user_id = self.agent
        invoice = self._invoice(consumer, 300.0)  # prescribed on 2 March 2028
        other = self._invoice(consumer, 200.0)
        with freeze_time("2027-12-10"):
            watched = self.env["account.move"]._collection_warn_prescription()
            self.assertEqual(watched & (invoice | other), invoice | other, "82 days left: both are warned")
            self.assertFalse(self.env["account.move"]._collection_warn_prescription() & (invoice | other), "once")
        self.assertRecordValues(
            invoice.activity_ids,
            [{"user_id": self.agent.id, "date_deadline": date(2028, 2, 1)}],
        )
        self.assertIn(
            invoice,
            self.env["account.move"].search([("collection_prescription_date", "<=", date(2028, 3, 10))]),
        )
        with freeze_time("2027-12-12"):
            plan_wizard = (
                self.env["recouvrement.payment.plan.wizard"]
                .with_context(active_model="account.move", active_ids=invoice.ids)
                .create({"first_date": date(2028, 1, 10)})
            )
            plan = self.env["recouvrement.payment.plan"].browse(plan_wizard.action_create_plan()["res_id"])
            plan.action_activate()
        with freeze_time("2027-12-20"):  # a plan is signed on a day already come
            plan.signed_date = date(2027, 12, 20)
        self.assertEqual(invoice.collection_prescription_date, date(2029, 12, 20), "the signed plan acknowledges")
        self.assertEqual(other.collection_prescription_date, date(2028, 3, 2))

    def test_decision_aid_is_advisory_and_logged(self):
        invoice = self._invoice(self.debtor, 10000.0)  # due 2 March 2026
        self.company.write(
            {
                "collection_legal_cost_fixed": 150.0,
                "collection_legal_cost_rate": 5.0,
                "collection_agency_rate": 15.0,
            }
        )
        case = self._case(invoice, date(2026, 7, 10))  # 130 days overdue: class C (55 % in court, 45 % by an agency)
        self.assertEqual(case.risk_class_id, self.env.ref("recouvrement_creances.risk_class_c"))
        case.write({"amount_penalties": 0.0, "amount_indemnity": 0.0})
        # court: 10000 x 55 % - 150 - 10000 x 5 % = 4850; agency: 10000 x 45 % x 85 % = 3825
        self.assertRecordValues(case, [{"outlook_legal": 4850.0, "outlook_agency": 3825.0, "recommendation": "pursue"}])
        case.risk_class_id = self.env.ref("recouvrement_creances.risk_class_e")  # 15 % / 10 %
        # court: 1500 - 150 - 500 = 850; agency: 1000 x 85 % = 850: equal, court first
        self.assertEqual((case.outlook_legal, case.outlook_agency, case.recommendation), (850.0, 850.0, "pursue"))
        with self.assertRaisesRegex(AccessError, "Only a collection manager decides"):
            case.with_user(self.agent).with_context(decision="write_off").action_decide()
        with self.assertRaisesRegex(AccessError, "Only a collection manager decides"):
            case.with_user(self.agent).write({"decision": "write_off"})
        case.with_user(self.manager).with_context(decision="agency").action_decide()
        self.assertRecordValues(
            case, [{"decision": "agency", "case_type": "agency", "decision_user_id": self.manager.id}]
        )
        self.assertIn("Advised: Pursue in Court (risk class E", case.message_ids[0].body)

    def test_agency_handover_and_commission(self):
        agency = self.env["res.partner"].create(
            {
                "name": "Agence Test",
                "is_company": True,
                "email": "mandats@agence.example.com",
                "collection_agency": True,
                "collection_agency_rate": 12.0,
            }
        )
        invoice = self._invoice(self.debtor, 1000.0)
        case = self._case(invoice)
        case.agency_id = agency
        self.assertEqual(case.agency_rate, 12.0, "the mandate's rate")
        with self.assertRaisesRegex(UserError, "written mandate"):
            case.action_agency_handover()
        agency.collection_agency_mandate_date = date(2026, 1, 15)
        self._pay(invoice, 100.0, date(2026, 6, 2))  # paid before the agency had the file: not its commission
        with freeze_time("2026-06-03"):
            action = case.with_context(force_report_rendering=True).action_agency_handover()
        self.assertRecordValues(case, [{"case_type": "agency", "agency_handover_date": date(2026, 6, 3)}])
        attachments = self.env["ir.attachment"].browse(action["context"]["default_attachment_ids"][0][2])
        csv_file = attachments.filtered(lambda a: a.mimetype == "text/csv")
        self.assertEqual(
            csv_file.raw.decode().splitlines(),
            [
                "debtor;debtor_registry;invoice;invoice_date;due_date;currency;amount;residual",
                f"Debtor One;;{invoice.name};2026-03-02;2026-03-02;EUR;1000.00;900.00",
            ],
        )
        self.assertEqual((attachments - csv_file).raw[:4], b"%PDF", "the evidence file")
        with self.mock_mail_gateway():
            composer = self.env["mail.compose.message"].with_context(**action["context"]).create({})
            composer._action_send_mail()
        self.assertSentEmail(self.env.user.partner_id, agency)
        message = case.message_ids.filtered(lambda m: agency in m.partner_ids)
        self.assertEqual(len(message.attachment_ids), 2)
        self.assertIn("Debtor One", message.subject)
        # the agency recovered 600.00: 12 % is owed to it, billed once
        self._pay(invoice, 600.0, date(2026, 7, 1))
        self.assertEqual((case.amount_recovered, case.agency_commission), (700.0, 72.0))
        bill = self.env["account.move"].browse(case.action_bill_agency_commission()["res_id"])
        self.assertRecordValues(
            bill, [{"move_type": "in_invoice", "partner_id": agency.id, "state": "draft", "amount_untaxed": 72.0}]
        )
        self.assertEqual(case.agency_commission_billed, 72.0)
        with self.assertRaisesRegex(UserError, "No commission is owed"):
            case.action_bill_agency_commission()

    def test_credit_insurer_notice_claim_and_indemnity(self):
        insurer = self.env["res.partner"].create({"name": "Assureur Crédit", "is_company": True})
        self.debtor.with_company(self.company).write(
            {
                "collection_insurer_id": insurer.id,
                "collection_insured_limit": 800.0,
                "collection_insurance_cover": 90.0,
                "collection_insurance_notice_days": 60,
                "collection_user_id": self.agent.id,
            }
        )
        invoice = self._invoice(self.debtor, 1000.0)  # due 2 March 2026: declare by 1 May
        Move = self.env["account.move"].with_company(self.company)
        with freeze_time("2026-04-15"):
            self.assertFalse(Move._collection_warn_insurer_notice() & invoice, "16 days before: not yet")
        with freeze_time("2026-04-16"):
            self.assertEqual(Move._collection_warn_insurer_notice() & invoice, invoice)
            self.assertFalse(Move._collection_warn_insurer_notice() & invoice, "once")
        self.assertRecordValues(invoice.activity_ids, [{"user_id": self.agent.id, "date_deadline": date(2026, 5, 1)}])
        case = self._case(invoice, date(2026, 4, 20))
        self.assertEqual((case.insurer_id, case.insurer_cover), (insurer, 90.0))
        with freeze_time("2026-04-20"):
            case.action_file_insurer_claim()
        # the loss declared is capped by the approved limit: 800.00, of which 90 % is indemnified
        self.assertRecordValues(
            case,
            [
                {
                    "case_type": "insurer",
                    "insurer_claim_date": date(2026, 4, 20),
                    "insurer_claim_amount": 800.0,
                    "insurer_expected": 720.0,
                }
            ],
        )
        wizard = self.env["recouvrement.insurer.indemnity.wizard"].create(
            {"case_id": case.id, "date": date(2026, 7, 1)}
        )
        self.assertEqual(wizard.amount, 720.0)
        wizard.action_confirm()
        payment = case.insurer_payment_ids
        self.assertRecordValues(payment, [{"partner_id": insurer.id, "amount": 720.0, "state": "in_process"}])
        self.assertEqual(invoice.amount_residual, 280.0, "the insured part is settled")
        self.assertEqual((case.insurer_indemnity, case.uninsured_amount, case.amount_recovered), (720.0, 280.0, 720.0))
        with self.assertRaisesRegex(UserError, "more than what the invoices of the case still owe"):
            case._book_insurer_indemnity(300.0, date(2026, 7, 2), wizard.journal_id)

    def _taxed_invoice(self, amount):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.debtor.id,
                "invoice_date": date(2026, 3, 2),
                "invoice_date_due": date(2026, 3, 2),
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Service", "price_unit": amount, "tax_ids": [Command.set(self.tax_sale_a.ids)]}
                    )
                ],
            }
        )
        invoice.action_post()
        return invoice

    def _book(self, case, operation, on_date, **values):
        wizard = self.env["recouvrement.case.accounting.wizard"].create(
            {"case_id": case.id, "operation": operation, "date": on_date, **values}
        )
        return self.env["account.move"].browse(wizard.action_confirm()["res_id"] or [])

    @staticmethod
    def _entry_lines(moves):
        return sorted((line.account_id.code, line.debit, line.credit) for line in moves.line_ids)

    def test_doubtful_debt_accounting(self):
        invoice = self._taxed_invoice(1000.0)  # 1200.00 with VAT
        self._pay(invoice, 300.0, date(2026, 4, 1))
        case = self._case(invoice)
        receivable = invoice.line_ids.filtered(lambda line: line.account_type == "asset_receivable").account_id.code
        # 411 -> 416: the 900.00 still owed; the invoice stays open, the transfer out of the follow-ups
        transfer = self._book(case, "doubtful", date(2026, 6, 30))
        self.assertEqual(self._entry_lines(transfer), sorted([("416000", 900.0, 0.0), (receivable, 0.0, 900.0)]))
        self.assertEqual((invoice.amount_residual, invoice.payment_state), (900.0, "partial"))
        self.assertTrue(all(transfer.line_ids.mapped("no_followup")))
        self.assertEqual(case.amount_doubtful, 900.0)
        with self.assertRaisesRegex(UserError, "already in doubtful debts"):
            self._book(case, "doubtful", date(2026, 7, 1))
        # impairment of 50 % of the debt excluding VAT: 900 x 1000 / 1200 = 750.00 -> 375.00
        with self.assertRaisesRegex(UserError, "between 0 and 100"):
            self._book(case, "impairment", date(2026, 12, 31), percent=120.0)
        impairment = self._book(case, "impairment", date(2026, 12, 31), percent=50.0)
        self.assertEqual(self._entry_lines(impairment), [("491000", 0.0, 375.0), ("681740", 375.0, 0.0)])
        self.assertEqual(case.amount_impairment, 375.0)
        # raised to 80 %: 600.00, so 225.00 more
        more = self._book(case, "impairment", date(2027, 1, 31), percent=80.0)
        self.assertEqual(self._entry_lines(more), [("491000", 0.0, 225.0), ("681740", 225.0, 0.0)])
        # irrecoverable while the injunction is under way: the write-off must be confirmed
        case.stage_id = self.stages["request"]
        with self.assertRaisesRegex(UserError, "still in the legal stage"):
            self._book(case, "write_off", date(2027, 3, 31))
        self.assertEqual(invoice.amount_residual, 900.0, "nothing was booked")
        self._book(case, "write_off", date(2027, 3, 31), confirm_legal=True)
        entries = case.accounting_move_ids - transfer - impairment - more
        credit_note = entries.filtered(lambda move: move.move_type == "out_refund")
        # the transfer is reversed, the 600.00 impairment reversed to 7817, and the 750.00 excluding VAT written off
        # to 6544 (a debt of a previous year), its 150.00 of VAT recovered
        self.assertEqual(
            self._entry_lines(entries - credit_note),
            sorted([("416000", 0.0, 900.0), (receivable, 900.0, 0.0), ("491000", 600.0, 0.0), ("781740", 0.0, 600.0)]),
        )
        self.assertRecordValues(credit_note, [{"amount_untaxed": 750.0, "amount_tax": 150.0, "amount_total": 900.0}])
        self.assertEqual(credit_note.invoice_line_ids.account_id.code, "654400")
        self.assertEqual((invoice.amount_residual, case.amount_doubtful, case.amount_impairment), (0.0, 0.0, 0.0))

    def test_doubtful_transfer_is_reversible(self):
        invoice = self._taxed_invoice(500.0)
        case = self._case(invoice)
        transfer = self._book(case, "doubtful", date(2026, 6, 30))
        reversal = self._book(case, "doubtful_reversal", date(2026, 8, 31))
        self.assertEqual(reversal.reversed_entry_id, transfer)
        self.assertEqual(case.amount_doubtful, 0.0)
        self.assertEqual((invoice.amount_residual, invoice.payment_state), (600.0, "not_paid"))
        self._pay(invoice, 600.0, date(2026, 9, 1))
        self.assertEqual(invoice.payment_state, "paid")
        self.assertTrue(transfer.exists(), "reversed, never deleted")
