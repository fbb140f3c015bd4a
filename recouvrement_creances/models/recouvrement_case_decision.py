from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.decision import recovery_outlook

DECISIONS = [
    ("pursue", "Pursue in Court"),
    ("agency", "Hand to a Collection Agency"),
    ("insurer", "Claim from the Credit Insurer"),
    ("write_off", "Write Off"),
]


class RecouvrementCase(models.Model):
    """The decision aid of a case: its risk class, what court and an agency may be expected to recover, the advised way
    and the manager's decision."""

    _inherit = "recouvrement.case"

    # decision aid: advisory figures, the manager decides
    risk_class_id = fields.Many2one(
        "recouvrement.risk.class",
        compute="_compute_risk_class_id",
        store=True,
        readonly=False,
        tracking=True,
        help="Set at opening: the customer's risk class, else the class of the oldest days overdue of the invoices; "
        "a manager may change it.",
    )
    outlook_legal = fields.Monetary(string="Expected from Court", compute="_compute_outlook")
    outlook_agency = fields.Monetary(string="Expected from an Agency", compute="_compute_outlook")
    recommendation = fields.Selection(
        [decision for decision in DECISIONS if decision[0] != "insurer"], compute="_compute_outlook"
    )
    decision = fields.Selection(DECISIONS, readonly=True, tracking=True, copy=False)
    decision_date = fields.Date(readonly=True, copy=False)
    decision_user_id = fields.Many2one("res.users", string="Decided by", readonly=True, copy=False)

    @api.depends("move_ids")
    def _compute_risk_class_id(self):
        classes = self.env["recouvrement.risk.class"].search([("code", "!=", False)])
        scored = {
            (solvency.partner_id, solvency.company_id): solvency.risk_class_id
            for solvency in self.env["recouvrement.solvency"]
            .sudo()
            .search([("partner_id", "in", self.partner_id.ids), ("risk_class_id", "!=", False)])
        }
        for case in self:
            if case.risk_class_id:
                continue
            if scored.get((case.partner_id, case.company_id)):
                case.risk_class_id = scored[case.partner_id, case.company_id]
                continue
            dues = case.move_ids.mapped("invoice_date_due")
            days = (case.date_open - min(dues)).days if dues and case.date_open else 0
            case.risk_class_id = classes._for_days_overdue(days)

    @api.depends("risk_class_id", "amount_outstanding", "company_id")
    def _compute_outlook(self):
        for case in self:
            company = case.company_id
            legal, agency, recommendation = recovery_outlook(
                case.amount_outstanding,
                legal_rate=case.risk_class_id.legal_recovery_rate,
                agency_rate=case.risk_class_id.agency_recovery_rate,
                legal_fixed=company.currency_id._convert(
                    company.collection_legal_cost_fixed, case.currency_id, company, case.date_open
                ),
                legal_cost_rate=company.collection_legal_cost_rate,
                agency_commission=company.collection_agency_rate,
            )
            case.outlook_legal = case.currency_id.round(legal)
            case.outlook_agency = case.currency_id.round(agency)
            case.recommendation = recommendation

    def action_decide(self):
        """Record the manager's decision (the button's ``decision`` context), with the figures it was taken on.
        Only managers may write a decision (see write)."""
        decision = self.env.context.get("decision")
        labels = dict(self._fields["decision"]._description_selection(self.env))
        if decision not in labels:
            raise UserError(self.env._("Choose how the case is pursued."))
        recommendations = dict(self._fields["recommendation"]._description_selection(self.env))
        for case in self:
            case.write(
                {
                    "decision": decision,
                    "decision_date": fields.Date.context_today(self),
                    "decision_user_id": self.env.user.id,
                }
            )
            if decision in ("agency", "insurer"):
                case.case_type = decision
            case.message_post(
                body=self.env._(
                    "Decision: %(decision)s. Advised: %(recommendation)s (risk class %(risk_class)s; expected from "
                    "court %(legal)s, from an agency %(agency)s, on %(outstanding)s outstanding).",
                    decision=labels[decision],
                    recommendation=recommendations[case.recommendation],
                    risk_class=case.risk_class_id.code or "",
                    legal=case.currency_id.format(case.outlook_legal),
                    agency=case.currency_id.format(case.outlook_agency),
                    outstanding=case.currency_id.format(case.amount_outstanding),
                )
            )
        return True
