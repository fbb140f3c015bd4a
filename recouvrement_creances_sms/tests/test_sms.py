import doctest
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import BaseCase, tagged

from odoo.addons.recouvrement_creances.tests.common import RecouvrementCommon
from odoo.addons.sms.tests.common import SMSCase

from ..tools import sms_count


@tagged("post_install", "-at_install")
class TestSmsLength(BaseCase):
    def test_doctests(self):
        result = doctest.testmod(sms_count)
        self.assertTrue(result.attempted)
        self.assertFalse(result.failed)


@tagged("post_install", "-at_install")
class TestSmsChannel(RecouvrementCommon, SMSCase):
    """A level sends an SMS to the customer's mobile through Odoo's SMS (its gateway replaced by Odoo's own test
    helper: IAP cannot be reached from here); the action follows the SMS's status."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.level = cls.policy_b2c.level_ids.filtered(lambda level: level.offset_days == 14)
        cls.level.write({"channel_sms": True, "sms_text": "{company}: {amount} overdue ({invoices} invoice). {link}"})
        cls.person = cls._debtor("Jeanne Martin", is_company=False, phone="06 12 34 56 78")
        cls.invoice = cls._invoice(cls.person, 480.0)  # due 2 March 2026

    def _send_queued_sms(self, action):
        """The SMS queue sending this action's SMS (the database may hold other companies' queued SMS)."""
        self.env["sms.sms"].sudo().search([("mail_message_id", "=", action.mail_message_id.id)]).send()

    def _sms_action(self, run):
        return run.action_ids.filtered(lambda action: action.channel == "sms")

    def test_the_level_sends_an_sms_that_counts_once_sent(self):
        run = self._run(self._day(14), deliver=False)
        action = self._sms_action(run)
        self.assertEqual(action.state, "pending", "queued: not had yet")
        self.assertEqual(action.sms_number, "+33612345678")
        [sms] = self.env["sms.sms"].sudo().search([("mail_message_id", "=", action.mail_message_id.id)])
        self.assertEqual(sms.state, "outgoing")
        self.assertIn("480,00", sms.body)
        self.assertIn("/my/recouvrement?access_token=", sms.body)
        self.assertNotEqual(self.invoice.collection_level_id, self.level)
        with self.mockSMSGateway():
            self._send_queued_sms(action)
        self.assertSMSIapSent(["+33612345678"])
        self.assertEqual(action.state, "done")
        self.assertEqual(self.invoice.collection_level_id, self.level, "sent: the invoice has the level")
        self.assertTrue(self.env["recouvrement.evidence"].search([("res_id", "=", action.id)]), "sealed")

    def test_an_sms_in_error_fails_the_action_and_the_next_run_chases_again(self):
        self.level.channel_email = False  # the SMS alone: nothing else reaches the debtor at this level
        run = self._run(self._day(14), deliver=False)
        action = self._sms_action(run)
        with self.mockSMSGateway(sim_error="wrong_number_format"):
            self._send_queued_sms(action)
        self.assertEqual(action.state, "failed")
        self.assertEqual(action.error, "Wrong Number Format")
        self.assertTrue(action.activity_ids, "the collector is told")
        self.assertFalse(self.invoice.collection_level_id, "not had: chased again")
        again = self._run(self._day(15), execute=False)
        self.assertIn(self.invoice, again.action_ids.line_ids.move_id)

    def test_no_mobile_is_refused_before_anything_goes(self):
        self.person.phone = False
        with self.assertRaisesRegex(UserError, "no mobile number to send the SMS to"):
            self._run(self._day(14), deliver=False)
        self.assertFalse(self.env["sms.sms"].sudo().search([("partner_id", "=", self.person.id)]))

    def test_the_text_length_is_shown_and_checked(self):
        self.level.with_context(lang="en_US").sms_text = "Réglez votre facture."
        self.assertEqual(self.level.with_context(lang="en_US").sms_length, "21 characters, 1 SMS")
        with self.assertRaisesRegex(ValidationError, "keep it within 3 SMS"):
            self.level.sms_text = "ç" * 202
        with self.assertRaisesRegex(ValidationError, "write its text"):
            self.level.sms_text = False

    def test_a_manual_follow_up_by_sms_is_previewed_then_sent(self):
        Wizard = self.env["recouvrement.follow.up.wizard"].with_user(self.agent).with_company(self.company)
        with freeze_time(date(2026, 3, 20)):
            values = Wizard._values_for_partner(self.person)
            values.update(level_id=self.level.id, send_email=False, send_letter=False, send_sms=True)
            wizard = Wizard.create(values)
            wizard._refresh_preview()
            self.assertIn("480,00", wizard.preview_sms)
            self.assertEqual(wizard.sms_number, "+33612345678")
            self.assertFalse(self.env["recouvrement.action"].search([("partner_id", "=", self.person.id)]))
            wizard.action_send()
        [action] = self.env["recouvrement.action"].search([("partner_id", "=", self.person.id)])
        self.assertEqual((action.channel, action.state, action.is_manual), ("sms", "pending", True))
