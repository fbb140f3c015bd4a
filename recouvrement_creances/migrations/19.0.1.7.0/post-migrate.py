"""19.0.1.7.0: a call logged after its action was executed changed the action's time and caller after it was sealed.
Such actions are sealed again, with their call, so that the evidence chain checks clean; nothing else is resealed."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    cr.execute(
        """
        SELECT action.id
          FROM recouvrement_action action
         WHERE action.channel = 'phone' AND action.call_outcome IS NOT NULL
           AND (SELECT MAX(sequence) FROM recouvrement_evidence
                 WHERE res_model = 'recouvrement.action' AND res_id = action.id AND kind = 'action')
             < (SELECT MAX(sequence) FROM recouvrement_evidence
                 WHERE res_model = 'recouvrement.action' AND res_id = action.id AND kind = 'call')
        """
    )
    ids = [row[0] for row in cr.fetchall()]
    if ids:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["recouvrement.evidence"]._seal(env["recouvrement.action"].browse(ids), "action")
