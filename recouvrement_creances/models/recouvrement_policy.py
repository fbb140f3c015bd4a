from itertools import pairwise

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class RecouvrementPolicy(models.Model):
    _name = "recouvrement.policy"
    _description = "Collection Policy"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    customer_kind = fields.Selection(
        [("b2b", "Businesses"), ("b2c", "Individuals")],
        string="Customers",
        required=True,
        default="b2b",
        help="Default policy for customers of this kind that have no policy of their own.",
    )
    level_ids = fields.One2many("recouvrement.level", "policy_id", string="Levels", copy=True)
    minimum_amount = fields.Monetary(
        currency_field="currency_id",
        help="A debtor whose net amount due is below this amount is not followed up.",
    )
    partner_count = fields.Integer(compute="_compute_partner_count", string="Customers with this policy")

    @api.constrains("level_ids")
    def _check_level_offsets(self):
        for policy in self:
            offsets = policy.level_ids.sorted(lambda level: (level.sequence, level.id)).mapped("offset_days")
            if any(later <= earlier for earlier, later in pairwise(offsets)):
                raise ValidationError(
                    self.env._(
                        "The levels of the policy “%(policy)s” must have strictly increasing day offsets in their "
                        "order (found: %(offsets)s).",
                        policy=policy.name,
                        offsets=", ".join(str(offset) for offset in offsets),
                    )
                )

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("collection_policy_id", "in", self.ids)], ["collection_policy_id"], ["__count"]
            )
        )
        for policy in self:
            policy.partner_count = counts.get(policy, 0)

    def _sorted_levels(self):
        self.ensure_one()
        return self.level_ids.sorted("offset_days")
