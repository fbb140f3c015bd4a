from odoo.tests import tagged

from odoo.addons.recouvrement_creances.tests.common import RecouvrementCommon


@tagged("post_install", "-at_install")
class TestAddedChannel(RecouvrementCommon):
    """A channel an addon adds (a selection_add, a box on the level, an _execute_ method) is proposed,
    executed, logged and sealed like the core's, and the invoice's level moves."""

    def test_a_level_sent_by_fax(self):
        level = self.levels[14]
        level.write({"channel_email": False, "channel_fax": True})
        self.assertEqual(level._get_channels(), ["fax"])
        invoice = self._invoice(self.debtor, 1000.0)
        run = self._run(self._day(14))
        fax = run.action_ids
        self.assertRecordValues(fax, [{"channel": "fax", "state": "done", "fax_sent": True, "level_id": level.id}])
        self.assertEqual(invoice.collection_level_id, level)
        self.assertTrue(invoice.message_ids.filtered(lambda message: "fax" in (message.body or "")))
        sealed = self.env["recouvrement.evidence"].search([("res_model", "=", fax._name), ("res_id", "=", fax.id)])
        self.assertEqual(sealed.mapped("kind"), ["action"])
        self.assertIsNone(self.env["recouvrement.evidence"]._check_chain(self.company))
