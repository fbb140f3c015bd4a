from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_datetime

from ..tools.evidence import chain, digest

# the first key of the chain's advisory lock (the second is the company's id)
CHAIN_LOCK = 7241

EVIDENCE_KINDS = [
    ("action", "Executed Action"),
    ("call", "Call Logged"),
    ("acknowledgement", "Registered Letter Details"),
    ("agreement", "Signed Agreement"),
    ("declaration", "Declaration of Claim"),
]


class RecouvrementEvidence(models.Model):
    """One link of a company's evidence chain: a record of the collection log sealed when it became evidence (an
    action executed, a call logged, a registered letter's details entered, an agreement signed), with the
    digest of its content and a hash chaining it to the previous link, as Odoo's ``account`` chains its journal
    entries (``inalterable_hash``). Links are only ever added: nobody writes or deletes one. The check
    recomputes every hash from the previous one and every digest from the records as they are now, and names
    the first that no longer matches."""

    _name = "recouvrement.evidence"
    _description = "Collection Evidence Link"
    _order = "company_id, sequence"
    _rec_name = "name"

    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    sequence = fields.Integer(string="No.", required=True, readonly=True)
    kind = fields.Selection(EVIDENCE_KINDS, required=True, readonly=True)
    res_model = fields.Char(string="Model", required=True, readonly=True)
    res_id = fields.Many2oneReference(string="Record", model_field="res_model", required=True, readonly=True)
    name = fields.Char(string="Evidence", readonly=True)
    digest = fields.Char(string="Content Digest (SHA-256)", required=True, readonly=True)
    hash = fields.Char(string="Chained Hash (SHA-256)", required=True, readonly=True)

    _sequence_unique = models.Constraint(
        "UNIQUE(company_id, sequence)", "Each link of a company's evidence chain has its own number."
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise UserError(self.env._("The evidence chain is written by the collection engine only."))
        return super().create(vals_list)

    def write(self, vals):
        if vals:
            raise UserError(self.env._("The evidence chain cannot be changed: links are only ever added."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("The evidence chain cannot be changed: links are only ever added."))

    # ------------------------------------------------------------------
    # Sealing
    # ------------------------------------------------------------------

    @api.model
    def _seal(self, records, kind):
        """Add a link for each of ``records`` (a recordset of a model that has ``_evidence_content`` and a company)
        to its company's chain, sealing what they hold now. The chain's lock keeps one transaction appending at a
        time per company, until it commits (see ``_chain_head``)."""
        records = records.sudo()
        links = []
        for company, company_records in records.grouped("company_id").items():
            number, previous = self._chain_head(company)
            contents = company_records._evidence_content(kind)
            names = company_records._evidence_names(kind)
            for record in company_records.sorted("id"):
                number += 1
                record_digest = digest(contents[record])
                previous = chain(previous, record_digest)
                links.append(
                    {
                        "company_id": company.id,
                        "sequence": number,
                        "kind": kind,
                        "res_model": record._name,
                        "res_id": record.id,
                        "name": names[record],
                        "digest": record_digest,
                        "hash": previous,
                    }
                )
        return self.sudo().create(links)

    @api.model
    def _chain_head(self, company):
        """(number, hash) of the last link of ``company``'s chain, taking the chain's lock until the end of the
        transaction: one transaction appends at a time, in the order they commit, while the collection workers
        execute their batches side by side.

        The last link is the later of the one this transaction sees (its own, once it appended) and the one
        committed now, read with a cursor of its own: a transaction that committed after this one's snapshot
        was taken is not missed."""
        self.env.cr.execute(SQL("SELECT pg_advisory_xact_lock(%s, %s)", CHAIN_LOCK, company.id))
        self.flush_model()
        head = self._last_link(self.env.cr, company)
        with self.env.registry.cursor() as cr:
            cr.execute(SQL("SELECT to_regclass(%s)", self._table))
            if not cr.fetchone()[0]:  # the addon installed or updated in this transaction, not committed yet
                return head
            return max(head, self._last_link(cr, company))

    @api.model
    def _last_link(self, cr, company):
        """(number, hash) of ``company``'s last link as ``cr`` sees it; (0, "") when there is none."""
        cr.execute(
            SQL(
                "SELECT sequence, hash FROM recouvrement_evidence WHERE company_id = %s ORDER BY sequence DESC LIMIT 1",
                company.id,
            )
        )
        return cr.fetchone() or (0, "")

    # ------------------------------------------------------------------
    # Check
    # ------------------------------------------------------------------

    @api.model
    def _check_chain(self, company):
        """Walk ``company``'s chain: each number follows the previous one, each hash follows from the previous hash
        and its digest, and the latest link of each record and kind matches what the record holds now (an older
        link of the same record was replaced by a correction, which added the newer one).

        :return: the first link that does not match, with why, as (link, reason), or None when all match
        """
        links = self.sudo().search_fetch(
            [("company_id", "=", company.id)], ["sequence", "kind", "res_model", "res_id", "digest", "hash", "name"]
        )
        previous, latest = "", {}
        for expected, link in enumerate(links.sorted("sequence"), 1):
            if link.sequence != expected:
                return link, self.env._("link no. %(number)s is missing", number=expected)
            if link.hash != chain(previous, link.digest):
                return link, self.env._("its hash does not follow from the previous link")
            previous = link.hash
            latest[link.res_model, link.res_id, link.kind] = link
        mismatches = []
        grouped = defaultdict(list)
        for (model, res_id, kind), link in latest.items():
            grouped[model, kind].append((res_id, link))
        for (model, kind), pairs in grouped.items():
            records = self.env[model].sudo().browse([res_id for res_id, _link in pairs]).exists()
            contents = records._evidence_content(kind)
            for res_id, link in pairs:
                record = records.browse(res_id)
                if record not in records:
                    mismatches.append((link, self.env._("the record was deleted")))
                elif digest(contents[record]) != link.digest:
                    mismatches.append((link, self.env._("its content changed since it was sealed")))
        broken = min(mismatches, key=lambda pair: pair[0].sequence, default=None)
        return broken or self._check_unsealed(company, {res_id for model, res_id, kind in latest if kind == "action"})

    @api.model
    def _check_unsealed(self, company, sealed_action_ids):
        """A link deleted at the end of the chain leaves no gap: an executed action without its link shows it."""
        unsealed = (
            self.env["recouvrement.action"]
            .sudo()
            .search([("company_id", "=", company.id), ("state", "in", ("pending", "done", "failed"))])
            .filtered(lambda action: action.id not in sealed_action_ids)
        )
        if not unsealed:
            return None
        return unsealed[:1], self.env._(
            "%(count)s executed actions have no link in the chain, such as %(action)s",
            count=len(unsealed),
            action=unsealed[:1].display_name,
        )

    @api.model
    def _check_companies(self, companies):
        """Check the chains of ``companies``, keep the date and the result on each, and return the results."""
        results = {}
        for company in companies:
            broken = self._check_chain(company)
            count = self.sudo().search_count([("company_id", "=", company.id)])
            if broken:
                link, reason = broken
                result = self.env._(
                    "Evidence altered: link no. %(number)s (%(name)s): %(reason)s.",
                    number=link.sequence,
                    name=link.name,
                    reason=reason,
                )
            else:
                result = self.env._("All %(count)s links of the evidence chain match.", count=count)
            company.sudo().write(
                {
                    "collection_evidence_check_date": fields.Datetime.now(),
                    "collection_evidence_check_ok": not broken,
                    "collection_evidence_check_result": result,
                }
            )
            results[company] = (not broken, result)
        return results

    @api.model
    def action_check_integrity(self, companies=None):
        """*Check the Integrity of the Evidence*: for the user's companies (or ``companies``), with the result."""
        companies = companies or self.env.companies
        results = self._check_companies(companies)
        ok = all(passed for passed, _result in results.values())
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Evidence Integrity"),
                "message": "\n".join(
                    f"{company.name}: {result} ({format_datetime(self.env, company.collection_evidence_check_date)})"
                    for company, (_passed, result) in results.items()
                ),
                "type": "success" if ok else "danger",
                "sticky": not ok,
            },
        }
