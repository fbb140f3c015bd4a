from odoo import fields, models


class ResPartner(models.Model):
    """A debtor in a contentious case: the case, its stage and its next deadline are the debtor's next step,
    instead of a reminder level."""

    _inherit = "res.partner"

    collection_open_case_id = fields.Many2one(
        "recouvrement.case",
        string="Open Contentious Case",
        compute="_compute_collection_status",
        groups="recouvrement_creances.group_recouvrement_agent",
        help="The debtor's open contentious case in the current company: its invoices are out of the reminders.",
    )

    def _compute_collection_status(self):
        result = super()._compute_collection_status()
        cases = self._collection_open_cases()
        for partner in self:
            case = cases.get(partner.commercial_partner_id, self.env["recouvrement.case"].sudo())
            partner.collection_open_case_id = case
            if case:
                partner.collection_next_step = self.env._(
                    "Contentious case %(case)s: %(stage)s", case=case.name, stage=case.stage_id.name
                )
                partner.collection_next_date = case.date_deadline
        return result

    def _collection_open_cases(self):
        """{debtor: its open case with the nearest deadline} in the current company, read in one query (a
        salesperson sees the debtor's status without reading cases)."""
        cases = (
            self.env["recouvrement.case"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.env.company.id),
                    ("partner_id", "in", self.commercial_partner_id.ids),
                    ("is_closed", "=", False),
                ],
                order="date_deadline asc nulls last, id",
            )
        )
        open_cases = {}
        for case in cases:
            open_cases.setdefault(case.partner_id, case)
        return open_cases
