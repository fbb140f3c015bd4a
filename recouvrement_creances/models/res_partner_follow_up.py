import operator as op

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

COMPARISONS = {"<": op.lt, "<=": op.le, ">": op.gt, ">=": op.ge, "=": op.eq}


class ResPartner(models.Model):
    """Odoo's customer list as a follow-up list: each customer's mode (automatic or manual), and its collection
    status searchable, for the filters *Follow-up needed*, *Overdue invoices* and *On credit hold*."""

    _inherit = "res.partner"

    collection_mode = fields.Selection(
        [("auto", "Automatic"), ("manual", "Manual")],
        string="Follow-up Mode",
        company_dependent=True,
        help="Automatic: the daily run sends what needs no validation. Manual: the run proposes this customer's "
        "follow-ups, and they wait for someone to execute them.",
    )
    # the status computed on the day, made searchable
    collection_amount_overdue = fields.Monetary(search="_search_collection_amount_overdue")
    collection_next_date = fields.Date(search="_search_collection_next_date")
    collection_credit_hold = fields.Boolean(search="_search_collection_credit_hold")

    def _collection_manual(self):
        """Those of these customers whose follow-ups wait for someone (their company's mode), in the current
        company."""
        manual = self.commercial_partner_id.filtered(lambda partner: partner.collection_mode == "manual")
        return self.filtered(lambda partner: partner.commercial_partner_id in manual)

    @api.model
    def _collection_debtors_search(self, extra_domain=()):
        """The query of the open receivable items of every debtor in the current company (and ``extra_domain``)."""
        return (
            self.env["account.move.line"].sudo()._search([*self._collection_company_open_item_domain(), *extra_domain])
        )

    def _collection_positive_search(self, operator, value):
        """Whether (operator, value) asks for the records where the figure is set (``> 0``, ``= True``, ``!= False``);
        only those are supported."""
        if (operator, value) in ((">", 0), (">", 0.0), ("=", True), ("!=", False)):
            return True
        if (operator, value) in (("<=", 0), ("<=", 0.0), ("=", False), ("!=", True)):
            return False
        return NotImplemented

    def _search_collection_amount_overdue(self, operator, value):
        positive = self._collection_positive_search(operator, value)
        if positive is NotImplemented:
            return NotImplemented
        today = fields.Date.context_today(self)
        items = self._collection_debtors_search([("date_maturity", "<", today), ("amount_residual", ">", 0)])
        return Domain(
            "id", "in" if positive else "not in", items.subselect(SQL.identifier("account_move_line", "partner_id"))
        )

    def _search_collection_credit_hold(self, operator, value):
        positive = self._collection_positive_search(operator, value)
        if positive is NotImplemented:
            return NotImplemented
        held = self._collection_partners_matching(lambda partner: partner.collection_credit_hold)
        return Domain("id", "in" if positive else "not in", held)

    def _search_collection_next_date(self, operator, value):
        if operator not in COMPARISONS:
            return NotImplemented
        date, compare = fields.Date.to_date(value), COMPARISONS[operator]
        return Domain(
            "id",
            "in",
            self._collection_partners_matching(
                lambda p: p.collection_next_date and compare(p.collection_next_date, date)
            ),
        )

    @api.model
    def _collection_partners_matching(self, condition):
        """Ids of the debtors of the current company (an open receivable item, or a credit hold) whose status
        computed on the day meets ``condition``: the status is computed for all of them at once."""
        debtor_ids = set(
            self.env.execute_query(
                self._collection_debtors_search().select(
                    SQL("DISTINCT %s", SQL.identifier("account_move_line", "partner_id"))
                )
            )
        )
        holds = (
            self.env["recouvrement.credit.hold"]
            .sudo()
            ._read_group([("company_id", "=", self.env.company.id), ("date_end", "=", False)], ["partner_id"])
        )
        ids = {partner_id for (partner_id,) in debtor_ids if partner_id} | {hold.id for (hold,) in holds}
        candidates = self.browse(ids)
        return candidates.filtered(condition).ids
