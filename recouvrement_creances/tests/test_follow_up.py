import base64
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import RecouvrementCommon
from .test_letters import pdf_text


@tagged("post_install", "-at_install")
class TestFollowUp(RecouvrementCommon):
    """The follow-up of one debtor, previewed, edited, then sent and printed: by hand outside the schedule, or a
    proposed action validated after reading it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._invoice(cls.debtor, 1000.0)  # due 2 March 2026
        cls.other = cls._invoice(cls.debtor, 300.0, due=date(2026, 4, 30))  # not due yet on 20 March
        cls.Wizard = cls.env["recouvrement.follow.up.wizard"].with_user(cls.agent).with_company(cls.company)

    def _wizard(self, **values):
        wizard = self.Wizard.create({**self.Wizard._values_for_partner(self.debtor), **values})
        wizard._refresh_preview()
        return wizard

    def test_a_manual_follow_up_is_previewed_edited_sent_and_moves_no_level(self):
        with freeze_time(date(2026, 3, 20)):
            wizard = self._wizard(
                level_id=self.levels[14].id,
                send_email=True,
                send_letter=False,
                subject="Votre dossier FAC en attente",
                custom_text="Suite à notre appel de ce matin,\nvoici le détail.",
                attach_invoices=True,
                attach_statement=True,
            )
            # the preview, as it will go out, and nothing of it kept
            self.assertEqual(wizard.preview_subject, "Votre dossier FAC en attente")
            self.assertIn("Suite à notre appel de ce matin", wizard.preview_html)
            self.assertIn(self.invoice.name, wizard.preview_html)
            self.assertIn(self.other.name, wizard.preview_html, "what is not due yet is listed apart")
            self.assertIn(f"{self.invoice._get_report_base_filename()}.pdf", wizard.preview_html)
            self.assertEqual(wizard.recipient_email, "debtor.one@example.com")
            self.assertFalse(self._actions(), "a preview creates nothing")
            with self.mock_mail_gateway():
                wizard.with_context(force_report_rendering=True).action_send()
                self._deliver()
        [action] = self._actions()
        self.assertRecordValues(
            action,
            [
                {
                    "channel": "email",
                    "state": "done",
                    "is_manual": True,
                    "custom_subject": "Votre dossier FAC en attente",
                }
            ],
        )
        message = action.mail_message_id
        self.assertEqual(message.subject, "Votre dossier FAC en attente")
        self.assertIn("Suite à notre appel de ce matin", str(message.body))
        names = message.attachment_ids.mapped("name")
        self.assertIn(f"{self.invoice._get_report_base_filename()}.pdf", names)
        self.assertIn("Relevé Debtor One.pdf", names, "the statement, named in the debtor's language")
        invoice_pdf = message.attachment_ids.filtered(
            lambda a: a.name.startswith(self.invoice._get_report_base_filename())
        )
        self.assertIn(self.invoice.name, pdf_text(base64.b64decode(invoice_pdf.datas)), "Odoo's own invoice report")
        self.assertTrue(all(message.attachment_ids.mapped("collection_evidence")))
        # logged, sealed, and no level given
        self.assertFalse(self.invoice.collection_level_id)
        self.assertIn("Relance manuelle, hors calendrier.", self.debtor.message_ids[:1].body, "the agent speaks French")
        link = self.env["recouvrement.evidence"].search(
            [("res_model", "=", "recouvrement.action"), ("res_id", "=", action.id), ("kind", "=", "action")]
        )
        self.assertIn("follow_up", action._evidence_content("action")[action])
        self.assertTrue(link)
        [(passed, result)] = self.env["recouvrement.evidence"]._check_companies(self.company).values()
        self.assertTrue(passed, result)
        # what was written by hand is evidence
        with self.assertRaisesRegex(UserError, "evidence"):
            action.with_user(self.manager).custom_text = "Autre chose"

    def test_a_manual_follow_up_may_give_its_level(self):
        with freeze_time(date(2026, 3, 20)):
            wizard = self._wizard(level_id=self.levels[14].id, send_email=True, send_letter=False, give_level=True)
            with self.mock_mail_gateway():
                wizard.action_send()
                self._deliver()
        self.assertEqual(self.invoice.collection_level_id, self.levels[14])
        self.assertFalse(self.other.collection_level_id, "not due: it did not reach the level")

    def test_a_manager_reads_the_formal_notice_before_it_goes(self):
        with freeze_time(self._day(100)):
            run = self._run(self._day(100), execute=False)
            notice = run.action_ids.filtered(lambda action: action.channel == "registered_letter")
            wizard = self.Wizard.with_user(self.manager).create(self.Wizard._values_for_action(notice))
            wizard.custom_text = "Dernier délai avant saisine du tribunal."
            wizard.with_context(force_report_rendering=True)._refresh_preview()
            preview = base64.b64decode(wizard.preview_pdf)
            self.assertEqual(preview[:4], b"%PDF")
            text = pdf_text(preview)
            self.assertIn("MISE EN DEMEURE", text)
            self.assertIn("Dernier délai avant saisine du tribunal.", text)
            self.assertEqual(notice.state, "proposed", "nothing sent by the preview")
            self.assertFalse(notice.custom_text, "nor kept")
            result = wizard.with_context(force_report_rendering=True).action_send()
        self.assertEqual(notice.state, "done")
        self.assertEqual(notice.custom_text, "Dernier délai avant saisine du tribunal.")
        self.assertIn(f"/web/content/{notice.letter_attachment_id.id}", result["url"])
        self.assertIn("Dernier délai avant saisine du tribunal.", pdf_text(notice.letter_attachment_id.raw))

    def test_a_debtor_past_the_last_written_level_opens_on_a_level_that_writes(self):
        legal = self.policy_b2b.level_ids.filtered(lambda level: level.escalation != "none")[:1]
        self.assertFalse(legal.mail_template_id, "the legal escalation writes no email")
        self.invoice.sudo().collection_level_id = legal
        with freeze_time(date(2026, 7, 1)):
            values = self.Wizard._values_for_partner(self.debtor)
        level = self.env["recouvrement.level"].browse(values["level_id"])
        self.assertTrue(level.mail_template_id)
        self.assertEqual(
            level, self.policy_b2b.level_ids.filtered("mail_template_id").sorted("offset_days")[-1:], "the highest"
        )

    def test_bad_input_is_refused_and_nothing_is_written(self):
        with freeze_time(date(2026, 3, 20)):
            values = {**self.Wizard._values_for_partner(self.debtor), "send_email": False, "send_letter": False}
            wizard = self.Wizard.create(values)
            for press in (wizard._refresh_preview, wizard.action_send):
                with self.assertRaisesRegex(UserError, "Choose how to send this follow-up"):
                    press()
            idle = self._debtor("Client Sans Dette SARL")
            wizard = self.Wizard.create({**self.Wizard._values_for_partner(self.debtor), "partner_id": idle.id})
            with self.assertRaisesRegex(UserError, "owes nothing at the moment"):
                wizard._refresh_preview()
        self.assertFalse(self.env["recouvrement.action"].search([("partner_id", "in", (self.debtor | idle).ids)]))
        with self.assertRaises(AccessError):
            self.env["recouvrement.follow.up.wizard"].with_user(self.salesman).create(
                {"partner_id": self.debtor.id, "level_id": self.levels[14].id}
            )
