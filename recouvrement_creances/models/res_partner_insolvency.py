import re

from odoo import api, fields, models
from odoo.tools import format_date

from .recouvrement_insolvency_announcement import PROCEEDING_KINDS, PROCEEDING_STATES


class ResPartner(models.Model):
    """A customer in collective proceedings, as the BODACC announced it: the kind of proceeding, the opening
    judgment and its publication, the court, the mandataire (or liquidator) and the administrator. Its debts born
    before the judgment leave the reminders (Code de commerce L622-21)."""

    _inherit = "res.partner"

    collection_siren = fields.Char(
        string="SIREN",
        compute="_compute_collection_siren",
        store=True,
        index="btree_not_null",
        help="The first 9 digits of the SIREN/SIRET: the BODACC's announcements are matched on it.",
    )
    collection_retention_of_title = fields.Boolean(
        string="Sold under Retention of Title",
        help="The customer's terms of sale carry a retention-of-title clause: in collective proceedings, the goods "
        "may be claimed back within 3 months of the opening's publication (Code de commerce L624-9).",
    )
    collection_insolvency_ids = fields.One2many(
        "recouvrement.insolvency.announcement", "partner_id", string="BODACC Announcements", readonly=True
    )
    collection_insolvency_kind = fields.Selection(
        PROCEEDING_KINDS, string="Collective Proceedings", compute="_compute_collection_insolvency", store=True
    )
    collection_insolvency_state = fields.Selection(
        PROCEEDING_STATES, string="Proceedings", compute="_compute_collection_insolvency", store=True
    )
    collection_insolvency_judgment_date = fields.Date(
        string="Opening Judgment of",
        compute="_compute_collection_insolvency",
        store=True,
        index="btree_not_null",
        help="The debts born before this date are declared in the proceedings, never chased nor charged penalties "
        "after it.",
    )
    collection_insolvency_publication_date = fields.Date(
        string="Published in the BODACC on", compute="_compute_collection_insolvency", store=True
    )
    collection_insolvency_court = fields.Char(string="Court", compute="_compute_collection_insolvency", store=True)
    collection_insolvency_mandataire_id = fields.Many2one(
        "res.partner", string="Mandataire or Liquidator", compute="_compute_collection_insolvency", store=True
    )
    collection_insolvency_administrator_id = fields.Many2one(
        "res.partner", string="Administrator", compute="_compute_collection_insolvency", store=True
    )

    collection_insolvency_summary = fields.Char(
        string="Collective Proceedings Summary", compute="_compute_collection_insolvency_summary"
    )

    @api.depends("company_registry")
    def _compute_collection_siren(self):
        for partner in self:
            digits = re.sub(r"\D", "", partner.company_registry or "")
            partner.collection_siren = digits[:9] if len(digits) >= 9 else False

    @api.depends(
        "collection_insolvency_ids.judgment_type",
        "collection_insolvency_ids.publication_date",
        "collection_insolvency_ids.judgment_date",
        "collection_insolvency_ids.mandataire_id",
        "collection_insolvency_ids.administrator_id",
    )
    def _compute_collection_insolvency(self):
        for partner in self:
            proceeding = partner.collection_insolvency_ids._proceeding()
            opening = proceeding.get("opening")
            partner.collection_insolvency_kind = proceeding.get("kind", False)
            partner.collection_insolvency_state = proceeding.get("state", False)
            partner.collection_insolvency_judgment_date = opening and (
                opening.judgment_date or opening.publication_date
            )
            partner.collection_insolvency_publication_date = opening and opening.publication_date
            partner.collection_insolvency_court = proceeding.get("court", False)
            partner.collection_insolvency_mandataire_id = proceeding.get("mandataire", False)
            partner.collection_insolvency_administrator_id = proceeding.get("administrator", False)

    @api.depends(
        "collection_insolvency_kind",
        "collection_insolvency_state",
        "collection_insolvency_judgment_date",
        "collection_insolvency_publication_date",
        "collection_insolvency_court",
        "collection_insolvency_mandataire_id",
        "collection_insolvency_administrator_id",
    )
    def _compute_collection_insolvency_summary(self):
        kinds = dict(self._fields["collection_insolvency_kind"]._description_selection(self.env))
        states = dict(self._fields["collection_insolvency_state"]._description_selection(self.env))
        for partner in self:
            if not partner.collection_insolvency_kind:
                partner.collection_insolvency_summary = False
                continue
            summary = self.env._(
                "%(kind)s (%(state)s), opened by the judgment of %(judgment)s of the %(court)s, published in the "
                "BODACC on %(published)s.",
                kind=kinds[partner.collection_insolvency_kind],
                state=states[partner.collection_insolvency_state].lower(),
                judgment=format_date(self.env, partner.collection_insolvency_judgment_date),
                court=partner.collection_insolvency_court or "-",
                published=format_date(self.env, partner.collection_insolvency_publication_date),
            )
            mandataire = partner.collection_insolvency_mandataire_id
            administrator = partner.collection_insolvency_administrator_id
            if mandataire:
                summary += " " + self.env._("Mandataire or liquidator: %(name)s.", name=mandataire.name)
            if administrator:
                summary += " " + self.env._("Administrator: %(name)s.", name=administrator.name)
            partner.collection_insolvency_summary = summary

    def _collection_penalty_invoices(self):
        """The debts born before an opening judgment are declared with the penalties stopped on its day, never
        invoiced penalties afterwards (L622-21): they leave the customer's penalties."""
        moves = super()._collection_penalty_invoices()
        return moves.filtered(
            lambda move: not (
                move.commercial_partner_id.collection_insolvency_judgment_date
                and move.invoice_date
                and move.invoice_date < move.commercial_partner_id.collection_insolvency_judgment_date
            )
        )
