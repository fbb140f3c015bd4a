import re
import secrets

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import format_date

# Days a link sent in a reminder stays valid; a new reminder sends a new link when the old one is near its end.
ACCESS_VALIDITY_DAYS = 90
ACCESS_RENEW_DAYS = 30
# what a token can look like (secrets.token_urlsafe): anything else is refused before any query
TOKEN_FORMAT = re.compile(r"[A-Za-z0-9_-]{16,128}")


class RecouvrementPortalAccess(models.Model):
    """A link that opens a debtor's collection page without a login: a random token of one customer and one
    company, valid until its expiry date, revocable from the back office."""

    _name = "recouvrement.portal.access"
    _inherit = ["recouvrement.input.mixin"]
    _description = "Debtor Portal Link"
    _order = "create_date desc, id desc"
    _check_company_auto = True
    _rec_name = "partner_id"

    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, readonly=True, index=True, ondelete="cascade"
    )
    token = fields.Char(
        required=True, readonly=True, copy=False, groups="recouvrement_creances.group_recouvrement_agent"
    )
    date_expiry = fields.Date(string="Valid until", required=True, readonly=True)
    revoked_date = fields.Datetime(string="Revoked on", readonly=True, copy=False)
    revoked_user_id = fields.Many2one("res.users", string="Revoked by", readonly=True, copy=False)
    is_valid = fields.Boolean(string="Valid", compute="_compute_is_valid")
    url = fields.Char(string="Link", compute="_compute_url", groups="recouvrement_creances.group_recouvrement_agent")

    _token_unique = models.UniqueIndex("(token)")

    @api.depends("date_expiry", "revoked_date")
    @api.depends_context("date")
    def _compute_is_valid(self):
        today = self.env.context.get("date") or fields.Date.context_today(self)
        for access in self:
            access.is_valid = not access.revoked_date and access.date_expiry >= today

    @api.depends("token")
    def _compute_url(self):
        for access in self:
            access.url = f"{access.get_base_url()}/my/recouvrement?access_token={access.token}"

    @api.model
    def _new_token(self):
        """256 random bits, url-safe: unrelated to any id."""
        return secrets.token_urlsafe(32)

    @api.model
    def _for_partners(self, partners):
        """{commercial partner: link} of the current company, valid for at least ACCESS_RENEW_DAYS more days;
        created where missing."""
        today = fields.Date.context_today(self)
        company = self.env.company
        commercial = partners.commercial_partner_id
        links = self.sudo().search(
            [
                ("company_id", "=", company.id),
                ("partner_id", "in", commercial.ids),
                ("revoked_date", "=", False),
                ("date_expiry", ">=", fields.Date.add(today, days=ACCESS_RENEW_DAYS)),
            ],
            order="date_expiry desc",
        )
        by_partner = {}
        for link in links:
            by_partner.setdefault(link.partner_id, link)
        missing = commercial.filtered(lambda partner: partner not in by_partner)
        created = self.sudo().create(
            [
                {
                    "company_id": company.id,
                    "partner_id": partner.id,
                    "token": self._new_token(),
                    "date_expiry": fields.Date.add(today, days=ACCESS_VALIDITY_DAYS),
                }
                for partner in missing
            ]
        )
        by_partner.update(zip(missing, created, strict=True))
        return by_partner

    @api.model
    def _from_token(self, token):
        """The valid link of ``token``, or an empty recordset: unknown, revoked and expired tokens alike."""
        if not isinstance(token, str) or not TOKEN_FORMAT.fullmatch(token):
            return self.browse()
        link = self.sudo().search([("token", "=", token)], limit=1)
        return link if link.is_valid else self.browse()

    def action_revoke(self):
        if not self.env.user.has_group("recouvrement_creances.group_recouvrement_agent"):
            raise AccessError(self.env._("Only collection users may revoke a debtor's portal link."))
        self.filtered(lambda access: not access.revoked_date).sudo().write(
            {"revoked_date": fields.Datetime.now(), "revoked_user_id": self.env.uid}
        )
        for access in self:
            access.partner_id.sudo().message_post(
                body=self.env._(
                    "Debtor portal link revoked (it was valid until %s).", format_date(self.env, access.date_expiry)
                ),
            )
