"""Measures the open peer, OCA's account_credit_control, on a copy of the benchmark database where it is installed
(by scripts/bench.sh, from PyPI, in the bench environment only: it is never a dependency of the product).

    python peer.py ODOO_CONF DATABASE SIZE RESULTS_JSON PACKAGE==VERSION

Its policy has levels at 14, 30 and 60 days after the due date, by email, on every customer. Two steps, each
rolled back, the median of REPEAT runs:
- the generation of its credit control lines for the run date (the counterpart of our proposal);
- the emails of the first PEER_DEBTORS debtors of our execute step (the same debtors), as its emailer sends them.
"""

import contextlib
import json
import sys
import time

from odoo_env import odoo_env
from run_bench import EXECUTE_LEVEL_OFFSET, PEER_DEBTORS, execute_selection, measure, throughput

from odoo import Command, fields

REPEAT = 2
LEVELS = (14, 30, 60)


class Peer:
    def __init__(self, env, size, package):
        self.env = env
        self.cr = env.cr
        self.size = size
        self.company = env.company
        self.date = fields.Date.to_date(env["ir.config_parameter"].get_param("recouvrement_bench.date"))
        self.results = {"version": package.split("==")[1]}

    def measure(self, function):
        return measure(self.env, function, REPEAT)

    def set_up_policy(self):
        """The policy: levels at 14, 30 and 60 days, by email, on every receivable account, for every customer. Its
        email template's PDF summary is left out, as our first reminder attaches no PDF either: both send the same
        kind of email (a body listing the invoices)."""
        template = self.env.ref("account_credit_control.email_template_credit_control_base")
        template.report_template_ids = False
        accounts = self.env["account.account"].search(
            [("account_type", "=", "asset_receivable"), ("company_ids", "in", self.company.ids)]
        )
        policy = self.env["credit.control.policy"].create(
            {
                "name": "Relances 14 / 30 / 60 jours",
                "company_id": self.company.id,
                "account_ids": [Command.set(accounts.ids)],
                "level_ids": [
                    Command.create(
                        {
                            "name": f"Relance à {days} jours",
                            "level": index,
                            "computation_mode": "net_days",
                            "delay_days": days,
                            "email_template_id": template.id,
                            "channel": "email",
                            "custom_text": f"Relance à {days} jours",
                            "custom_mail_text": f"<p>Relance à {days} jours</p>",
                            "mail_show_invoice_detail": True,
                        }
                    )
                    for index, days in enumerate(LEVELS, 1)
                ],
            }
        )
        self.company.credit_policy_id = policy
        self.policy = policy

    def new_run(self):
        run = self.env["credit.control.run"].create({"date": self.date, "policy_ids": [Command.set(self.policy.ids)]})
        run.generate_credit_lines()
        return run

    def generate(self):
        def generate(tick):
            lines = self.new_run().line_ids
            return len(lines), sorted(set(lines.mapped("level")))

        seconds, queries, (lines, levels) = self.measure(generate)
        self.results["generate"] = {"seconds": seconds, "queries": queries, "lines": lines, "levels": levels}

    def email(self):
        """The credit control lines of the same debtors as ours, to be sent, then sent by its emailer."""
        debtors = self.our_debtors()

        def send(tick):
            lines = self.new_run().line_ids.filtered(
                lambda line: line.partner_id.commercial_partner_id.id in debtors and line.channel == "email"
            )
            lines.write({"state": "to_be_sent"})
            emailer = self.env["credit.control.emailer"].create({"line_ids": [Command.set(lines.ids)]})
            tick()
            emailer.email_lines()
            return len(lines.partner_id.commercial_partner_id)

        self.results["email"] = throughput(*self.measure(send))

    def our_debtors(self):
        """The first PEER_DEBTORS debtors of our execute step, found as it finds them (rolled back)."""
        with contextlib.closing(self.cr.savepoint()):
            run = self.env["recouvrement.run"].create({"company_id": self.company.id, "date": self.date})
            run.action_propose()
            actions = execute_selection(run, self.size)[: PEER_DEBTORS[self.size]]
            debtors = set(actions.partner_id.ids)
            assert all(action.level_id.offset_days == EXECUTE_LEVEL_OFFSET for action in actions)
        self.env.invalidate_all(flush=False)
        return debtors


def main():
    conf, dbname, size, output, package = sys.argv[1:6]
    with odoo_env(conf, dbname) as env:
        peer = Peer(env, size, package)
        peer.set_up_policy()
        for step in (peer.generate, peer.email):
            started = time.monotonic()
            step()
            print(f"[bench] peer {step.__name__} measured in {time.monotonic() - started:.0f} s", flush=True)
        env.cr.rollback()
    with open(output, "w", encoding="utf-8") as out:
        json.dump(peer.results, out, indent=2)
    print(f"[bench] peer: {json.dumps(peer.results)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
