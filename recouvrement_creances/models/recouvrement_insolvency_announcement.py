import logging
from collections import defaultdict

import requests
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from ..tools.bodacc import JUDGMENT_TYPES, OPENING_TYPES, PROCEEDING_KIND, BodaccFormatError, read_announcements

_logger = logging.getLogger(__name__)

FETCH_TIMEOUT = 60  # seconds
FETCH_MAX_PAGES = 100  # of the API's pages, each of its own size (100 records at most)
PROCEEDING_KINDS = [
    ("safeguard", "Safeguard"),
    ("reorganisation", "Judicial Reorganisation"),
    ("liquidation", "Judicial Liquidation"),
]
PROCEEDING_STATES = [("open", "Open"), ("plan", "Plan Adopted"), ("closed", "Closed")]


class RecouvrementInsolvencyAnnouncement(models.Model):
    """An announcement of the BODACC about a collective proceeding (sauvegarde, redressement or liquidation
    judiciaire): imported from a file or fetched daily, matched to a customer by its SIREN. An opening stops the
    collection of the debts born before the judgment and opens a case to declare them; the later judgments
    (conversion, plan, closure) update it. An announcement nobody could be matched to is kept, for review."""

    _name = "recouvrement.insolvency.announcement"
    _description = "BODACC Announcement"
    _order = "publication_date desc, id desc"

    name = fields.Char(string="BODACC Announcement", required=True, readonly=True, index=True)
    number = fields.Char(string="Announcement Number", readonly=True)
    publication_date = fields.Date(string="Published on", required=True, readonly=True, index=True)
    siren = fields.Char(string="SIREN", readonly=True, index=True)
    debtor_name = fields.Char(string="Name at the BODACC", readonly=True)
    court = fields.Char(readonly=True)
    judgment_type = fields.Selection(JUDGMENT_TYPES, required=True, readonly=True)
    judgment_label = fields.Char(string="Judgment", readonly=True)
    judgment_date = fields.Date(readonly=True)
    details = fields.Text(string="Text of the Announcement", readonly=True)
    mandataire_name = fields.Char(string="Mandataire or Liquidator (BODACC)", readonly=True)
    administrator_name = fields.Char(string="Administrator (BODACC)", readonly=True)
    mandataire_id = fields.Many2one("res.partner", string="Mandataire or Liquidator", readonly=True)
    administrator_id = fields.Many2one("res.partner", readonly=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        index=True,
        domain="[('parent_id', '=', False)]",
        help="The customer the announcement is about: found by its SIREN, or chosen by hand when none or several "
        "customers have it.",
    )
    candidate_ids = fields.Many2many(
        "res.partner", string="Customers with this SIREN", readonly=True, help="Several customers have this SIREN."
    )
    match_state = fields.Selection(
        [("matched", "Matched"), ("ambiguous", "Ambiguous"), ("unmatched", "No Customer")],
        string="Match",
        compute="_compute_match_state",
        store=True,
    )
    source = fields.Selection([("file", "File"), ("fetch", "Daily Fetch")], required=True, readonly=True)
    date_applied = fields.Datetime(
        string="Effects Applied on", readonly=True, copy=False, help="When the judgment took effect on the customer."
    )
    case_ids = fields.Many2many("recouvrement.case", string="Cases", readonly=True, copy=False)

    _name_unique = models.Constraint("UNIQUE(name)", "This BODACC announcement is already imported.")

    @api.depends("partner_id", "candidate_ids")
    def _compute_match_state(self):
        for announcement in self:
            if announcement.partner_id:
                announcement.match_state = "matched"
            else:
                announcement.match_state = "ambiguous" if announcement.candidate_ids else "unmatched"

    def write(self, vals):
        if "partner_id" in vals and self.filtered("date_applied"):
            raise UserError(self.env._("An announcement that took effect on a customer cannot be moved to another."))
        return super().write(vals)

    # ------------------------------------------------------------------
    # Import
    # ------------------------------------------------------------------

    @api.model
    def _import_content(self, content, source):
        """Import an export of the BODACC (JSON or CSV): its new announcements of collective proceedings are
        created, matched and take effect; the ones already imported are skipped. All or nothing: an unreadable file
        imports nothing.

        :return: {"announcements": created, "duplicates": count, "others": records of other families}
        """
        try:
            found, others = read_announcements(content)
        except BodaccFormatError as error:
            raise UserError(
                self.env._("This file is not an export of BODACC announcements: %(error)s.", error=error)
            ) from error
        known = set(self.sudo().search([("name", "in", [item["ref"] for item in found])]).mapped("name"))
        vals_list = []
        for item in found:
            if item["ref"] in known:
                continue
            known.add(item["ref"])
            vals_list.append(self._announcement_vals(item, source))
        announcements = self.create(vals_list)
        announcements._match()
        announcements._apply()
        return {"announcements": announcements, "duplicates": len(found) - len(vals_list), "others": others}

    @api.model
    def _announcement_vals(self, item, source):
        return {
            "name": item["ref"],
            "number": item["number"],
            "publication_date": item["publication_date"],
            "siren": item["siren"],
            "debtor_name": item["debtor_name"],
            "court": item["court"],
            "judgment_type": item["judgment_type"],
            "judgment_label": item["judgment_label"],
            "judgment_date": item["judgment_date"],
            "details": item["details"],
            "mandataire_name": item["mandataire"],
            "administrator_name": item["administrator"],
            "source": source,
        }

    def _match(self):
        """Find each announcement's customer by its SIREN (the first 9 digits of the customer's SIREN/SIRET): one
        customer matches it, several leave it ambiguous, none unmatched."""
        sirens = set(self.filtered(lambda a: a.siren and not a.partner_id).mapped("siren"))
        partners = (
            self.env["res.partner"].sudo().search([("collection_siren", "in", list(sirens)), ("parent_id", "=", False)])
        )
        by_siren = partners.grouped("collection_siren")
        for announcement in self.filtered(lambda a: a.siren in by_siren and not a.partner_id):
            candidates = by_siren[announcement.siren]
            if len(candidates) == 1:
                announcement.partner_id = candidates
            else:
                announcement.candidate_ids = candidates

    # ------------------------------------------------------------------
    # Effects
    # ------------------------------------------------------------------

    def action_apply(self):
        """*Apply to the Customer*: an announcement matched by hand takes effect."""
        if self.filtered(lambda a: not a.partner_id):
            raise UserError(self.env._("Choose the customer the announcement is about first."))
        self._apply()
        return True

    def _apply(self):
        """The effects of these announcements on their customers, oldest first: an opening (or a conversion when
        the opening was not seen) opens a case in each company the customer owes debts born before the judgment;
        every later judgment is noted on the open cases. Announcements already applied are left alone."""
        todo = self.filtered(lambda a: a.partner_id and not a.date_applied).sorted(
            lambda a: (a.publication_date, a.judgment_date or a.publication_date, a.id)
        )
        if not todo:
            return
        todo._link_appointees()
        todo.date_applied = fields.Datetime.now()
        self.env["res.partner"].browse(todo.partner_id.ids)._message_log_batch(bodies=todo._partner_log_bodies())
        cases = (
            self.env["recouvrement.case"]
            .sudo()
            .search(
                [("partner_id", "in", todo.partner_id.ids), ("case_type", "=", "insolvency"), ("is_closed", "=", False)]
            )
        )
        followed = cases.grouped("partner_id")
        for announcement in todo:
            open_cases = followed.get(announcement.partner_id, cases.browse())
            if announcement.judgment_type in OPENING_TYPES or (
                announcement.judgment_type == "conversion" and not open_cases
            ):
                opened = self.env["recouvrement.case"]._open_for_insolvency(announcement)
                announcement.case_ids = opened
                followed[announcement.partner_id] = open_cases | opened
            elif open_cases:
                announcement.case_ids = open_cases
                open_cases._insolvency_follow(announcement)

    def action_open_cases(self):
        """The cases this announcement opened or updated."""
        self.ensure_one()
        return self.case_ids._get_records_action(name=self.env._("Contentious Cases"))

    def _partner_log_bodies(self):
        """{customer id: what its chatter says of its announcements}."""
        bodies = defaultdict(Markup)
        for announcement in self:
            bodies[announcement.partner_id.id] += Markup("<p>%s</p>") % announcement._summary()
        return dict(bodies)

    def _summary(self):
        """One line saying what this announcement published."""
        self.ensure_one()
        return self.env._(
            "BODACC %(ref)s of %(published)s: %(judgment)s (judgment of %(date)s, %(court)s).",
            ref=self.name,
            published=format_date(self.env, self.publication_date),
            judgment=self.judgment_label
            or dict(self._fields["judgment_type"]._description_selection(self.env))[self.judgment_type],
            date=format_date(self.env, self.judgment_date or self.publication_date),
            court=self.court or "-",
        )

    def _link_appointees(self):
        """The mandataire (or liquidator) and the administrator the judgments name, as partners: found by their
        exact name, else created, in one search."""
        names = {name for a in self for name in (a.mandataire_name, a.administrator_name) if name}
        if not names:
            return
        Partner = self.env["res.partner"].sudo()
        existing = Partner.search([("name", "in", list(names)), ("parent_id", "=", False)], order="id")
        by_name = {}
        for partner in existing:
            by_name.setdefault(partner.name, partner)
        missing = sorted(names - by_name.keys())
        for partner in Partner.create([{"name": name, "is_company": True} for name in missing]):
            by_name[partner.name] = partner
        for announcement in self:
            announcement.write(
                {
                    "mandataire_id": by_name.get(announcement.mandataire_name, Partner).id,
                    "administrator_id": by_name.get(announcement.administrator_name, Partner).id,
                }
            )

    def _proceeding(self, opening=None):
        """What these announcements (of one debtor) say of its proceeding opened by ``opening`` (the latest
        opening when not given): {opening, kind, state, court, mandataire, administrator, plan_date, closure_date}
        or {} when they hold no opening."""
        ordered = self.sorted(lambda a: (a.publication_date, a.judgment_date or a.publication_date, a.id))
        if opening is None:
            openings = ordered.filtered(lambda a: a.judgment_type in OPENING_TYPES) or ordered.filtered(
                lambda a: a.judgment_type == "conversion"
            )
            opening = openings[-1:] if openings else None
        if not opening:
            return {}
        since = ordered.filtered(lambda a: (a.publication_date, a.id) >= (opening.publication_date, opening.id))
        proceeding = {
            "opening": opening,
            "kind": PROCEEDING_KIND[opening.judgment_type],
            "state": "open",
            "court": opening.court,
            "mandataire": opening.mandataire_id,
            "administrator": opening.administrator_id,
            "plan_date": False,
            "closure_date": False,
        }
        for announcement in since - opening:
            kind = PROCEEDING_KIND.get(announcement.judgment_type)
            if kind:
                proceeding["kind"] = kind
            if announcement.judgment_type == "plan":
                proceeding.update(state="plan", plan_date=announcement.judgment_date or announcement.publication_date)
            elif announcement.judgment_type == "closure":
                proceeding.update(
                    state="closed", closure_date=announcement.judgment_date or announcement.publication_date
                )
            proceeding["mandataire"] = announcement.mandataire_id or proceeding["mandataire"]
            proceeding["administrator"] = announcement.administrator_id or proceeding["administrator"]
        return proceeding

    # ------------------------------------------------------------------
    # Daily fetch
    # ------------------------------------------------------------------

    def action_fetch(self):
        """*Fetch Now*: fetch the announcements from the configured address, and list the new ones."""
        result = self._fetch(raise_on_error=True)
        return self._import_result_action(result)

    @api.model
    def _import_result_action(self, result):
        """A notification saying what an import brought, then the list of its announcements."""
        created = result["announcements"]
        message = self.env._(
            "%(count)s new announcements (%(matched)s matched to a customer, %(review)s to review), "
            "%(duplicates)s already imported, %(others)s of other families left aside.",
            count=len(created),
            matched=len(created.filtered(lambda a: a.match_state == "matched")),
            review=len(created.filtered(lambda a: a.match_state != "matched")),
            duplicates=result["duplicates"],
            others=result["others"],
        )
        listed = self.env["ir.actions.act_window"]._for_xml_id(
            "recouvrement_creances.action_recouvrement_insolvency_announcement"
        )
        for key in ("id", "xml_id", "path", "display_name"):  # a list of its own, not the menu's
            listed.pop(key, None)
        listed.update(name=self.env._("Imported Announcements"), domain=[("id", "in", created.ids)])
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("BODACC Announcements"),
                "message": message,
                "type": "success",
                "sticky": False,
                "next": listed,
            },
        }

    @api.model
    def _fetch_url(self):
        return self.env["ir.config_parameter"].sudo().get_param("recouvrement_creances.bodacc_url") or ""

    @api.model
    def _fetch_pages(self, url):
        """The contents to import from ``url``: its one page, or each page while ``{offset}`` in the address moves
        through the API's results. ``{since}`` is the day before the last successful fetch."""
        params = self.env["ir.config_parameter"].sudo()
        since = params.get_param("recouvrement_creances.bodacc_last_fetch") or "2000-01-01"
        since = fields.Date.to_string(fields.Date.subtract(fields.Date.to_date(since), days=1))
        contents, offset = [], 0
        for _page in range(FETCH_MAX_PAGES):
            response = requests.get(url.format(since=since, offset=offset), timeout=FETCH_TIMEOUT)
            response.raise_for_status()
            contents.append(response.content)
            if "{offset}" not in url:
                break
            page, _others = read_announcements(response.content) if response.content.strip() else ([], 0)
            if not page:
                break
            offset += len(page)
        return contents

    @api.model
    def _fetch(self, raise_on_error=False):
        """Fetch and import the announcements from the configured address; on a failure, nothing is imported and
        the failure is logged (or raised to a user who asked for the fetch)."""
        url = self._fetch_url()
        if not url:
            raise UserError(self.env._("Set the address of the BODACC announcements in the settings first."))
        total = {"announcements": self.browse(), "duplicates": 0, "others": 0}
        try:
            with self.env.cr.savepoint():
                for content in self._fetch_pages(url):
                    result = self._import_content(content, "fetch")
                    total = {key: total[key] + result[key] for key in total}
        except (requests.RequestException, UserError, BodaccFormatError, KeyError, IndexError, ValueError) as error:
            _logger.warning("Fetching the BODACC announcements from %s failed: %s", url, error)
            if raise_on_error:
                raise UserError(
                    self.env._(
                        "The BODACC announcements could not be fetched from %(url)s: %(error)s", url=url, error=error
                    )
                ) from error
            return {"announcements": self.browse(), "duplicates": 0, "others": 0}
        self.env["ir.config_parameter"].sudo().set_param(
            "recouvrement_creances.bodacc_last_fetch", fields.Date.to_string(fields.Date.context_today(self))
        )
        return total

    @api.model
    def _cron_fetch(self):
        """The daily fetch, when it is switched on in the settings."""
        if self.env["ir.config_parameter"].sudo().get_param("recouvrement_creances.bodacc_fetch"):
            self._fetch()
