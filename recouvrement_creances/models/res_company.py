from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    recouvrement_auto_run = fields.Boolean(
        string="Daily Collection Run",
        default=True,
        help="Each day, propose the collection actions and execute those of levels that need no validation.",
    )
    recouvrement_b2b_policy_id = fields.Many2one(
        "recouvrement.policy",
        string="Default Policy for Businesses",
        domain="[('company_id', '=', id), ('customer_kind', '=', 'b2b')]",
    )
    recouvrement_b2c_policy_id = fields.Many2one(
        "recouvrement.policy",
        string="Default Policy for Individuals",
        domain="[('company_id', '=', id), ('customer_kind', '=', 'b2c')]",
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._recouvrement_install_default_policies()
        return companies

    def _recouvrement_install_default_policies(self):
        """Give each company without policies a copy of the default B2B and B2C policies."""
        templates = {
            kind: (
                self.env.ref(f"recouvrement_creances.policy_{kind}", raise_if_not_found=False)
                or self.env["recouvrement.policy"]
            ).sudo()
            for kind in ("b2b", "b2c")
        }
        if not all(templates.values()):
            return
        templates["b2b"].company_id.filtered(lambda c: c.id in self.ids and not c.recouvrement_b2b_policy_id).write(
            {"recouvrement_b2b_policy_id": templates["b2b"].id, "recouvrement_b2c_policy_id": templates["b2c"].id}
        )
        have_policies = {
            company.id
            for [company] in self.env["recouvrement.policy"]
            .sudo()
            .with_context(active_test=False)
            ._read_group([("company_id", "in", self.ids)], ["company_id"])
        }
        for company in self.filtered(lambda c: c.id not in have_policies):
            copies = {kind: policy.copy({"company_id": company.id}) for kind, policy in templates.items()}
            company.sudo().write(
                {"recouvrement_b2b_policy_id": copies["b2b"].id, "recouvrement_b2c_policy_id": copies["b2c"].id}
            )

    def _recouvrement_default_policy(self, kind):
        """The default policy of ``kind`` (b2b/b2c): the configured one, else the first of that kind."""
        self.ensure_one()
        configured = self.recouvrement_b2b_policy_id if kind == "b2b" else self.recouvrement_b2c_policy_id
        return configured or self.env["recouvrement.policy"].search(
            [("company_id", "=", self.id), ("customer_kind", "=", kind)], limit=1
        )
