import base64
import json
import shutil
import tempfile
import threading
from datetime import date, timedelta
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import JsonRpcMixin, RecouvrementCommon
from .test_letters import pdf_text

DATA = Path(__file__).parent / "data"
# tests/data/bodacc_procedures_collectives.json: the BODACC's JSON export (API format) of 4 records of 8 April 2026:
#   A202600690101 redressement judiciaire of ATELIERS DU GIER (SIREN 552081317), judgment of 1 April 2026,
#                 mandataire SELARL MJ RHÔNE, administrator SELARL AJ ASSOCIÉS   -> matched
#   A202600690102 liquidation of TRANSPORTS INCONNUS (SIREN 902112445)            -> no customer
#   A202600690103 sauvegarde of HOLDING DOUBLON (SIREN 433219876, two customers)  -> ambiguous
#   A202600690104 a company's creation (another family)                          -> left aside
# tests/data/bodacc_procedures_collectives.csv: the open data's CSV export of A202600690101 again (a duplicate) and of
#   A202601110207, published 10 June 2026: the conversion into liquidation of ATELIERS DU GIER (judgment of 3 June).
JSON_FIXTURE = DATA / "bodacc_procedures_collectives.json"
CSV_FIXTURE = DATA / "bodacc_procedures_collectives.csv"
JUDGMENT, PUBLISHED = date(2026, 4, 1), date(2026, 4, 8)


class InsolvencyCommon(RecouvrementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gier = cls._debtor("Ateliers du Gier", company_registry="55208131700024")
        # due 2 March 2026: due on the judgment's day, owed 1,000.00
        cls.due_invoice = cls._invoice(cls.gier, 1000.0)
        # dated before the judgment, falling due after it: declared as to fall due on 19 May 2026
        cls.later_invoice = cls._invoice(cls.gier, 500.0, due=date(2026, 5, 19), invoice_date=date(2026, 3, 20))
        # dated after the judgment: collected as usual
        cls.new_invoice = cls._invoice(cls.gier, 300.0, due=date(2026, 4, 30), invoice_date=date(2026, 4, 10))
        cls.twins = cls._debtor("Holding Doublon", company_registry="43321987600011") | cls._debtor(
            "Holding Doublon Services", company_registry="433 219 876 00029"
        )
        cls.Announcement = cls.env["recouvrement.insolvency.announcement"]
        cls.Announcement.search([]).unlink()  # none in a new database; a used one may hold some

    def _import(self, fixture, on_date=date(2026, 4, 10)):
        with freeze_time(on_date):
            return self.Announcement._import_content(fixture.read_bytes(), "file")

    def _gier_case(self):
        return self.env["recouvrement.case"].search(
            [("partner_id", "=", self.gier.id), ("case_type", "=", "insolvency")]
        )


@tagged("post_install", "-at_install")
class TestInsolvencyImport(InsolvencyCommon):
    def test_import_matches_keeps_the_unmatched_and_skips_duplicates(self):
        result = self._import(JSON_FIXTURE)
        announcements = result["announcements"]
        self.assertEqual((len(announcements), result["duplicates"], result["others"]), (3, 0, 1))
        by_ref = {a.name: a for a in announcements}
        opening = by_ref["A202600690101"]
        self.assertRecordValues(
            opening,
            [
                {
                    "partner_id": self.gier.id,
                    "match_state": "matched",
                    "siren": "552081317",
                    "judgment_type": "opening_reorganisation",
                    "judgment_date": JUDGMENT,
                    "publication_date": PUBLISHED,
                    "court": "TRIBUNAL DE COMMERCE DE LYON",
                    "source": "file",
                }
            ],
        )
        self.assertEqual(opening.mandataire_id.name, "SELARL MJ RHÔNE")
        self.assertEqual(opening.administrator_id.name, "SELARL AJ ASSOCIÉS")
        # no customer has its SIREN: kept, listed for review, nothing applied
        unmatched = by_ref["A202600690102"]
        self.assertRecordValues(unmatched, [{"match_state": "unmatched", "partner_id": False, "date_applied": False}])
        # two customers share its SIREN: kept with both, until someone chooses
        ambiguous = by_ref["A202600690103"]
        self.assertRecordValues(ambiguous, [{"match_state": "ambiguous", "partner_id": False}])
        self.assertEqual(ambiguous.candidate_ids, self.twins)
        self.assertEqual(ambiguous.judgment_date, date(2026, 4, 3))  # "3 avril 2026"
        self.assertEqual(
            self.Announcement.search_count([("match_state", "!=", "matched")]), 2, "both are listed to review"
        )
        with self.assertRaises(UserError):
            ambiguous.action_apply()
        ambiguous.partner_id = self.twins[0]
        ambiguous.action_apply()
        self.assertEqual(self.twins[0].collection_insolvency_kind, "safeguard")
        self.assertFalse(self.twins[1].collection_insolvency_kind)
        with self.assertRaises(UserError):
            ambiguous.partner_id = self.twins[1]

        # the customer shows its proceedings
        self.assertRecordValues(
            self.gier,
            [
                {
                    "collection_insolvency_kind": "reorganisation",
                    "collection_insolvency_state": "open",
                    "collection_insolvency_judgment_date": JUDGMENT,
                    "collection_insolvency_publication_date": PUBLISHED,
                    "collection_insolvency_court": "TRIBUNAL DE COMMERCE DE LYON",
                    "collection_insolvency_mandataire_id": opening.mandataire_id.id,
                    "collection_insolvency_administrator_id": opening.administrator_id.id,
                }
            ],
        )
        self.assertTrue(self.gier.message_ids.filtered(lambda m: "A202600690101" in m.body))

        # the CSV export: the opening again is skipped, the conversion updates the customer and its case
        result = self._import(CSV_FIXTURE, on_date=date(2026, 6, 11))
        self.assertEqual((len(result["announcements"]), result["duplicates"]), (1, 1))
        self.assertEqual(self.Announcement.search_count([("name", "=", "A202600690101")]), 1)
        case = self._gier_case()
        self.assertEqual((self.gier.collection_insolvency_kind, case.insolvency_kind), ("liquidation", "liquidation"))
        self.assertEqual(self.gier.collection_insolvency_judgment_date, JUDGMENT, "the opening judgment stays")
        self.assertEqual(case.insolvency_claim_deadline, date(2026, 6, 8), "a conversion does not move the deadline")
        self.assertIn("A202601110207", case.message_ids[0].body)
        self.assertIn("liquidator now receives the claim", " ".join(case.activity_ids.mapped("summary")))

    def test_unreadable_file_imports_nothing(self):
        for content in (b"", b"{not json", b'[{"familleavis": "collective", "dateparution": "2026-13-45", "id": "X"}]'):
            with self.assertRaises(UserError):
                self.Announcement._import_content(content, "file")
        self.assertFalse(self.Announcement.search([]))


@tagged("post_install", "-at_install")
class TestInsolvencyEffects(InsolvencyCommon):
    def test_run_and_penalties_before_and_after_the_judgment(self):
        figures = (self.due_invoice | self.new_invoice)._collection_penalty_figures(date(2026, 5, 10))
        # before any judgment: 3 March .. 10 May 2026, 69 days at 12.15 %: 1000 x 12.15 % x 69 / 365 = 22.968 -> 22.97
        self.assertEqual(figures[self.due_invoice]["penalty"], 22.97)
        before = self._run(date(2026, 3, 25))
        self.assertIn(self.due_invoice, before.action_ids.line_ids.move_id)

        self._import(JSON_FIXTURE)
        self.env.invalidate_all()
        figures = (self.due_invoice | self.new_invoice)._collection_penalty_figures(date(2026, 5, 10))
        # stopped by the judgment of 1 April (L622-28): 3 .. 31 March, 29 days:
        # 1000 x 12.15 % x 29 / 365 = 9.653 -> 9.65
        self.assertEqual(figures[self.due_invoice]["penalty"], 9.65)
        self.assertEqual(figures[self.due_invoice]["date_to"], date(2026, 3, 31))
        # dated after the judgment: 1 .. 10 May, 10 days: 300 x 12.15 % x 10 / 365 = 0.998 -> 1.00
        self.assertEqual(figures[self.new_invoice]["penalty"], 1.0)

        after = self._run(date(2026, 5, 10))
        chased = after.action_ids.line_ids.filtered(lambda line: not line.excluded).move_id
        self.assertIn(self.new_invoice, chased)
        self.assertFalse(chased & (self.due_invoice | self.later_invoice), "no reminder for the earlier debts")
        held = (self.due_invoice | self.later_invoice | self.new_invoice)._collection_exclusion_reasons(
            date(2026, 5, 10)
        )
        self.assertEqual(set(held), {self.due_invoice, self.later_invoice})
        # their penalties are declared, never invoiced: only the later invoice's remain to invoice (1.00 + 40.00)
        with freeze_time(date(2026, 5, 10)):
            self.assertEqual(self.gier._collection_penalty_invoices(), self.new_invoice)
            self.gier.invalidate_recordset()
            self.assertEqual(self.gier.collection_penalty_to_invoice, 41.0)

    def test_opening_opens_a_case_and_suspends_promises_and_plans(self):
        plan = self._plan(self.due_invoice, date(2026, 3, 25))
        with freeze_time(date(2026, 3, 30)):
            promise = self.env["recouvrement.promise"].create(
                {
                    "partner_id": self.gier.id,
                    "move_ids": self.later_invoice.ids,
                    "amount": 500.0,
                    "date": date(2026, 5, 1),
                }
            )
        self._import(JSON_FIXTURE)
        case = self._gier_case()
        declare = self.env.ref("recouvrement_creances.case_stage_insolvency_declare")
        self.assertRecordValues(
            case,
            [
                {
                    "stage_id": declare.id,
                    "move_ids": (self.due_invoice | self.later_invoice).ids,
                    "insolvency_kind": "reorganisation",
                    "insolvency_publication_date": PUBLISHED,
                    "insolvency_abroad": False,
                    # publication + 2 months (L622-24, R622-24), relief asked within 6 months (L622-26)
                    "insolvency_claim_deadline": date(2026, 6, 8),
                    "insolvency_relief_deadline": date(2026, 10, 8),
                    "date_deadline": date(2026, 6, 8),
                    "amount_principal": 1500.0,
                    "amount_penalties": 9.65,
                    "amount_indemnity": 40.0,
                }
            ],
        )
        self.assertEqual(case.mandataire_id.name, "SELARL MJ RHÔNE")
        self.assertEqual(
            (self.due_invoice.collection_case_id, self.new_invoice.collection_case_id), (case, case.browse())
        )
        self.assertEqual(plan.state, "suspended")
        self.assertEqual(promise.state, "cancelled")
        # alerts 30 and 7 days before the deadline, and the deadline itself
        deadline_type = self.env.ref("recouvrement_creances.mail_activity_collection_case_deadline")
        self.assertEqual(
            sorted(case.activity_ids.filtered(lambda a: a.activity_type_id == deadline_type).mapped("date_deadline")),
            [date(2026, 5, 9), date(2026, 6, 1), date(2026, 6, 8)],
        )
        self.assertTrue(case.activity_ids.filtered(lambda a: "(416)" in a.summary), "the transfer is proposed")

    def test_deadlines_in_metropolitan_france_abroad_and_retention_of_title(self):
        self.gier.collection_retention_of_title = True
        self.company.partner_id.zip = "97400"  # Saint-Denis de La Réunion: outside metropolitan France
        self._import(JSON_FIXTURE)
        case = self._gier_case()
        self.assertRecordValues(
            case,
            [
                {
                    "insolvency_abroad": True,
                    "insolvency_claim_deadline": date(2026, 8, 8),  # + 4 months
                    "insolvency_retention": True,
                    "insolvency_retention_deadline": date(2026, 7, 8),  # + 3 months (L624-9)
                }
            ],
        )
        self.assertIn("L624-16", case.insolvency_security)
        alerts = case.activity_ids.filtered(lambda a: "retention of title" in a.summary)
        self.assertEqual(sorted(alerts.mapped("date_deadline")), [date(2026, 6, 8), date(2026, 7, 1)])
        # corrected by hand: a creditor in metropolitan France
        with freeze_time(date(2026, 4, 10)):
            case.insolvency_abroad = False
        self.assertEqual(case.insolvency_claim_deadline, date(2026, 6, 8))
        # the goods claimed back: their alerts go
        with freeze_time(date(2026, 4, 20)):
            case.insolvency_retention_claim_date = date(2026, 4, 20)
        self.assertFalse(case.activity_ids.filtered(lambda a: "retention of title" in a.summary))
        # late: the deadline is passed
        with freeze_time(date(2026, 6, 20)):
            case.invalidate_recordset(["insolvency_late"])
            self.assertTrue(case.insolvency_late)


@tagged("post_install", "-at_install")
class TestDeclarationOfClaim(InsolvencyCommon):
    def test_declaration_prints_every_mention_and_follows_the_claim(self):
        self._import(JSON_FIXTURE)
        case = self._gier_case()
        mandataire = case.mandataire_id
        mandataire.street = False
        with self.assertRaisesRegex(UserError, "postal address of SELARL MJ RHÔNE"):
            case.action_insolvency_send_declaration()
        mandataire.write({"street": "12 rue Molière", "zip": "69006", "city": "Lyon", "lang": "fr_FR"})
        with freeze_time(date(2026, 4, 20)):
            text = pdf_text(case._insolvency_declaration_pdf())
        for mention in (
            "DÉCLARATION DE CRÉANCE",
            "SELARL MJ RHÔNE",
            "Lettre recommandée avec accusé de réception",
            # the creditor and the debtor
            self.company.name,
            "SIREN 842137507",
            "Ateliers du Gier",
            "SIREN 552081317",
            # the opening judgment and its publication
            "redressement judiciaire",
            "01/04/2026",
            "08/04/2026",
            "A202600690101",
            # due on the judgment's day, invoice by invoice
            "Sommes échues au jour du jugement d'ouverture",
            self.due_invoice.name,
            "1 000,00",
            # to fall due, with their dates
            "Sommes à échoir",
            self.later_invoice.name,
            "19/05/2026",
            "500,00",
            # interest stopped on the judgment's day, the indemnity, the totals
            "arrêtées au 01/04/2026 (L622-28)",
            "9,65",
            "40,00",
            "1 049,65",
            "1 549,65",
            # security, proceedings, exhibits, signature
            "Néant : créance chirographaire",
            "Aucune instance n'est en cours",
            "Pièces justificatives",
            "Facture",
            "Nous certifions sincère et véritable",
            "Signature",
        ):
            self.assertIn(mention, text)
        self.assertNotIn(self.new_invoice.name, text, "the invoice dated after the judgment is not declared")

        with self.assertRaisesRegex(UserError, "Send the declaration of claim first"):
            case.action_insolvency_admitted()
        with freeze_time(date(2026, 4, 20)):
            case.action_insolvency_send_declaration()
        declared = self.env.ref("recouvrement_creances.case_stage_insolvency_declared")
        attachment = case.insolvency_declaration_attachment_id
        self.assertRecordValues(
            case,
            [
                {
                    "stage_id": declared.id,
                    "insolvency_declaration_date": date(2026, 4, 20),
                    "date_interruption": date(2026, 4, 20),
                }
            ],
        )
        self.assertTrue(attachment.collection_evidence, "kept as sent")
        self.assertEqual(
            case.activity_ids.activity_type_id.filtered(lambda kind: kind.res_model == case._name),
            self.env.ref("recouvrement_creances.mail_activity_collection_declaration"),
            "the responsible posts it",
        )
        sent = pdf_text(attachment.raw)
        self.assertIn("DÉCLARATION DE CRÉANCE", sent)
        self.assertIn(self.due_invoice.name, sent.split("DÉCLARATION DE CRÉANCE", 1)[1])
        self.assertGreater(
            sent.count("\f"), pdf_text(case._insolvency_declaration_pdf()).count("\f"), "with the evidence"
        )
        with self.assertRaises(UserError):
            case.action_insolvency_send_declaration()
        with self.assertRaises(ValidationError):
            case.insolvency_declaration_ack_date = date(2026, 4, 19)  # before it was sent
        case.insolvency_declaration_ack_date = date(2026, 4, 22)

        case.action_insolvency_contested()
        self.assertEqual(case.stage_id, self.env.ref("recouvrement_creances.case_stage_insolvency_contested"))
        with self.assertRaisesRegex(UserError, "amount admitted"):
            case.action_insolvency_admitted()
        case.insolvency_amount_admitted = 5000.0
        with self.assertRaisesRegex(UserError, "cannot exceed"):
            case.action_insolvency_admitted()
        case.insolvency_amount_admitted = 1500.0
        case.action_insolvency_admitted()
        self.assertEqual(case.stage_id, self.env.ref("recouvrement_creances.case_stage_insolvency_admitted"))


@tagged("post_install", "-at_install")
class TestDeclarationEvidenceOverHttp(InsolvencyCommon, JsonRpcMixin, HttpCase):
    """The declaration as evidence, as a real manager's JSON-RPC calls through the web client's route: what follows
    it is entered once it is sent, its date is corrected but never removed, each change is sealed in the evidence
    chain, and a replaced acknowledgement is kept."""

    def _rpc(self, method, args):
        """The error message of the manager's call on the case, in French (None when it succeeds)."""
        answer = self._call_kw("decl_manager", "recouvrement.case", method, args, {"lang": "fr_FR"})
        return answer.get("error", {}).get("data", {}).get("message")

    def test_declaration_follow_up_is_sealed_and_cannot_be_removed(self):
        new_test_user(
            self.env,
            "decl_manager",
            groups="recouvrement_creances.group_recouvrement_manager,account.group_account_invoice",
            company_id=self.company.id,
            company_ids=self.company.ids,
        )
        self._import(JSON_FIXTURE)
        case = self._gier_case()
        case.mandataire_id.write({"street": "12 rue Molière", "zip": "69006", "city": "Lyon"})
        Evidence = self.env["recouvrement.evidence"]

        error = self._rpc("write", [case.ids, {"insolvency_declaration_date": "2026-04-20"}])
        self.assertIn("Envoyez d'abord la déclaration de créance", error)
        error = self._rpc("action_insolvency_send_declaration", [case.ids])
        self.assertFalse(error)
        self.env.invalidate_all()
        declaration = case.insolvency_declaration_attachment_id
        self.assertTrue(declaration.collection_evidence)
        links = Evidence.search([("res_model", "=", case._name), ("res_id", "=", case.id)])
        self.assertEqual(links.mapped("kind"), ["declaration"], "sealed when sent")

        # the declaration cannot be detached, replaced or dated away
        other = self.env["ir.attachment"].create({"name": "faux.pdf", "raw": b"%PDF-1.4 faux"})
        for vals, message in (
            ({"insolvency_declaration_date": False}, "peut être corrigée, pas supprimée"),
            ({"insolvency_declaration_attachment_id": other.id}, "jamais à la main"),
        ):
            with self.subTest(vals=vals):
                error = self._rpc("write", [case.ids, vals])
                self.assertIn(message, error)
        self.env.invalidate_all()
        self.assertEqual(case.insolvency_declaration_attachment_id, declaration)
        self.assertTrue(case.insolvency_declaration_date)

        # the registered letter's details, then a second scan of the acknowledgement: the first is kept
        first_scan, second_scan = b"%PDF-1.4 AR 1", b"%PDF-1.4 AR 2"
        for scan in (first_scan, second_scan):
            error = self._rpc(
                "write",
                [
                    case.ids,
                    {
                        "insolvency_declaration_date": "2026-04-20",
                        "insolvency_declaration_number": "1A 234 567 8901 2",
                        "insolvency_declaration_ack_date": "2026-04-22",
                        "insolvency_declaration_ack_scan": base64.b64encode(scan).decode(),
                        "insolvency_declaration_ack_scan_name": "ar.pdf",
                    },
                ],
            )
            self.assertFalse(error)
        self.env.invalidate_all()
        kept = self.env["ir.attachment"].search(
            [("res_model", "=", case._name), ("res_id", "=", case.id), ("res_field", "=", False)]
        )
        replaced = kept.filtered(lambda attachment: attachment.raw == first_scan)
        self.assertTrue(replaced.collection_evidence and replaced.name.startswith("Remplacé le"), replaced.name)
        self.assertEqual(base64.b64decode(case.insolvency_declaration_ack_scan), second_scan)
        links = Evidence.search([("res_model", "=", case._name), ("res_id", "=", case.id)])
        self.assertEqual(len(links), 3, "sealed when sent, then at each change")
        self.assertIsNone(Evidence._check_chain(self.company))

        # rewritten behind the application's back: the chain names the declaration
        self.env.cr.execute(
            "UPDATE recouvrement_case SET insolvency_declaration_date = '2026-04-02' WHERE id = %s", case.ids
        )
        self.env.invalidate_all()
        link, reason = Evidence._check_chain(self.company)
        self.assertEqual((link, reason), (links.sorted("sequence")[-1], "its content changed since it was sealed"))


class _FixtureHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        self.server.paths.append(self.path)


@tagged("post_install", "-at_install")
class TestBodaccFetch(InsolvencyCommon):
    def _serve(self, port=0):
        server = ThreadingHTTPServer(("127.0.0.1", port), partial(_FixtureHandler, directory=str(DATA)))
        server.paths = []
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        self.addCleanup(thread.join)
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        return server

    def _configure(self, url, fetch=True):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("recouvrement_creances.bodacc_url", url)
        params.set_param("recouvrement_creances.bodacc_fetch", fetch)

    def test_daily_fetch_from_a_server_then_down(self):
        server = self._serve()
        port = server.server_address[1]
        self._configure(f"http://127.0.0.1:{port}/{JSON_FIXTURE.name}?since={{since}}", fetch=False)
        with freeze_time(date(2026, 4, 10)):
            self.Announcement._cron_fetch()
        self.assertFalse(self.Announcement.search([]), "off by default: nothing fetched")
        self.assertEqual(server.paths, [])

        self._configure(f"http://127.0.0.1:{port}/{JSON_FIXTURE.name}?since={{since}}")
        with freeze_time(date(2026, 4, 10)):
            self.Announcement._cron_fetch()
        fetched = self.Announcement.search([])
        self.assertEqual(len(fetched), 3)
        self.assertEqual(set(fetched.mapped("source")), {"fetch"})
        self.assertEqual(fetched.filtered(lambda a: a.match_state == "matched").partner_id, self.gier)
        self.assertTrue(self._gier_case())
        self.assertIn("since=1999-12-31", server.paths[0], "the first fetch asks for everything")
        # the next day: asked from the day before the last fetch; the same announcements are not imported twice
        with freeze_time(date(2026, 4, 11)):
            result = self.Announcement.action_fetch()
        self.assertIn("since=2026-04-09", server.paths[1])
        self.assertIn("3 already imported", result["params"]["message"])
        self.assertEqual(self.Announcement.search_count([]), 3)

        # the server is down: nothing imported, the cron goes on, the user is told
        server.shutdown()
        server.server_close()
        self._configure(f"http://127.0.0.1:{port}/{CSV_FIXTURE.name}")
        with freeze_time(date(2026, 6, 11)):
            self.Announcement._cron_fetch()
            with self.assertRaisesRegex(UserError, "could not be fetched"):
                self.Announcement.action_fetch()
        self.assertEqual(self.Announcement.search_count([]), 3)

        # back up: the conversion comes in
        server = self._serve(port)
        with freeze_time(date(2026, 6, 11)):
            self.Announcement._cron_fetch()
        self.assertEqual(self.Announcement.search_count([]), 4)
        self.assertEqual(self.gier.collection_insolvency_kind, "liquidation")


@tagged("post_install", "-at_install")
class TestInsolvencyTour(HttpCase):
    """In Chromium, in French: an announcement fetched, its case opened, the declaration of claim sent."""

    def test_manager_fetches_an_announcement_and_declares_the_claim(self):
        today = fields.Date.today()
        debtor = self.env["res.partner"].create(
            {
                "name": "Tour Ateliers Insolvables",
                "is_company": True,
                "company_registry": "81234567800015",
                "street": "3 rue Centrale",
                "zip": "69002",
                "city": "Lyon",
            }
        )
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": debtor.id,
                "invoice_date": today - timedelta(days=60),
                "invoice_date_due": today - timedelta(days=30),
                "invoice_line_ids": [Command.create({"name": "Maintenance", "quantity": 1, "price_unit": 1200.0})],
            }
        )
        invoice.action_post()
        self.env["res.partner"].create(
            {
                "name": "SELARL TOUR MANDATAIRE",
                "is_company": True,
                "street": "12 rue Molière",
                "zip": "69006",
                "city": "Lyon",
            }
        )
        self.env.company.company_registry = self.env.company.company_registry or "84213750700013"
        # the fixture's announcement, made of this customer and published five days ago
        export = json.loads(JSON_FIXTURE.read_text())
        record = dict(
            export["results"][0],
            id="A209900000001",
            commercant="TOUR ATELIERS INSOLVABLES",
            registre=["812 345 678", "812345678"],
            dateparution=str(today - timedelta(days=5)),
        )
        judgment = json.loads(record["jugement"])
        judgment.update(
            date=str(today - timedelta(days=12)),
            complementJugement="Jugement d'ouverture d'une procédure de redressement judiciaire, désignant "
            "mandataire judiciaire SELARL TOUR MANDATAIRE 12 rue Molière 69006 Lyon.",
        )
        record["jugement"] = json.dumps(judgment)
        folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, folder)
        (folder / "bodacc.json").write_text(json.dumps({"results": [record]}))
        server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_FixtureHandler, directory=str(folder)))
        server.paths = []
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        self.addCleanup(thread.join)
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        self.env["ir.config_parameter"].sudo().set_param(
            "recouvrement_creances.bodacc_url", f"http://127.0.0.1:{server.server_address[1]}/bodacc.json"
        )
        new_test_user(
            self.env,
            "insolvency_manager",
            groups="recouvrement_creances.group_recouvrement_manager,account.group_account_invoice",
            lang="fr_FR",
            tz="Europe/Paris",
        )
        self.start_tour("/odoo/recouvrement-bodacc", "recouvrement_insolvency_tour", login="insolvency_manager")
        case = self.env["recouvrement.case"].search([("partner_id", "=", debtor.id)])
        self.assertRecordValues(
            case,
            [
                {
                    "case_type": "insolvency",
                    "move_ids": invoice.ids,
                    "stage_id": self.env.ref("recouvrement_creances.case_stage_insolvency_declared").id,
                    "insolvency_declaration_date": today,
                }
            ],
        )
        text = pdf_text(case.insolvency_declaration_attachment_id.raw)
        self.assertIn("DÉCLARATION DE CRÉANCE", text)
        self.assertIn(invoice.name, text)
