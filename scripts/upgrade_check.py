"""After `-u` of a database built with an earlier version: what that version kept is still there, where this version
keeps it. Prints one line per check; exits 1 when one fails.

    python upgrade_check.py ODOO_CONF DB EXECUTED_ACTIONS
"""

import sys

import odoo
from odoo import api
from odoo.modules.registry import Registry
from odoo.tools import config


def checks(env, executed):
    company = env["res.company"].browse(min(env["res.company"].search([]).ids))
    partner = env["res.partner"].search(
        [("is_company", "=", True), ("company_id", "=", False), ("name", "=like", "Boulangerie%")], order="id", limit=1
    )
    env.cr.execute(
        "SELECT indexname FROM pg_indexes WHERE tablename = 'account_move_line' AND indexname LIKE '%open_item%'"
    )
    indexes = [row[0] for row in env.cr.fetchall()]
    evidence = env["recouvrement.evidence"]
    env.cr.execute(
        "SELECT COUNT(*) FROM information_schema.columns WHERE table_name = 'res_company' AND column_name LIKE %s",
        ["recouvrement\\_%"],
    )
    yield "the company's fields renamed collection_*, none left under recouvrement_*", env.cr.fetchone()[0] == 0
    yield "the company's legal form", company.collection_legal_form == "SAS au capital de 10 000 €"
    yield "the company's agency commission", company.collection_agency_rate == 12.5
    for other in env["res.company"].search([]):
        blocked = partner.with_company(other)
        yield (
            f"the shared customer's block, in {other.name}",
            (blocked.collection_block_reason, str(blocked.collection_block_until)) == ("Litige en cours", "2030-06-30"),
        )
    yield (
        "the open items' index declared on the journal items, the one made by hand dropped",
        indexes == ["account_move_line_recouvrement_open_item_idx"],
    )
    yield (
        f"the {executed} executed actions sealed in the evidence chain",
        len(set(evidence.search([("kind", "=", "action")]).mapped("res_id"))) == int(executed),
    )
    yield "the evidence chain intact", evidence._check_chain(company) is None
    plans = env["recouvrement.payment.plan"].search([])
    yield (
        f"the {len(plans)} payment plans named with a French date",
        bool(plans) and all(plan.name.endswith(plan.date.strftime("%d/%m/%Y")) for plan in plans),
    )


def main(conf, db, executed):
    config.parse_config(["-c", conf])
    with Registry(db).cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        failed = False
        for name, passed in checks(env, executed):
            print(f"{'ok  ' if passed else 'FAIL'} {name}")
            failed |= not passed
        return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
