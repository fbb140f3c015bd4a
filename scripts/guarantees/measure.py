"""Measures the run's guarantees on a demo database, as a credit manager would try them, and prints the figures.

    python measure.py ODOO_CONF DB [DEBTORS]

It commits on DB (a throw-away copy built by `make guarantees`):
1. DEBTORS more business customers, each with one invoice 20 days overdue;
2. two managers propose at the same moment, from two threads, through Odoo's RPC service (each call has its
   own cursor, its retries and its commit), then both press *Execute* on both runs; the duplicates are counted;
3. the mail server is down (an SMTP server on a closed local port), the mail queue runs, the server comes back
   (a real SMTP server started here), the queue runs again by itself after the first retry delay; the debtors
   not reached are counted;
4. the actions that read milder than a level their overdue invoices had are counted over the whole database;
5. a mise en demeure whose penalties need an unknown rate is executed: the refusal is printed.
"""

import sys
import threading
from datetime import date, datetime, timedelta

from freezegun import freeze_time

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.service import model as rpc
from odoo.tools import config


class Measure:
    def __init__(self, db, debtors):
        self.db, self.count = db, debtors
        self.registry = Registry(db)

    def committed(self, func):
        with self.registry.cursor() as cr:
            return func(api.Environment(cr, SUPERUSER_ID, {"lang": "fr_FR", "tz": "Europe/Paris"}))

    def call(self, user, model, method, *args):
        uid, password = user
        context = {"lang": "fr_FR", "tz": "Europe/Paris", "allowed_company_ids": [self.company_id]}
        return rpc.dispatch("execute_kw", [self.db, uid, password, model, method, list(args), {"context": context}])

    def together(self, *calls):
        barrier, outcomes = threading.Barrier(len(calls)), [None] * len(calls)

        def run(index, call):
            barrier.wait()
            outcomes[index] = call()

        threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return outcomes

    def press(self, user, method, runs):
        """A manager presses a run's button; a refusal is read, as a user would."""
        refusals = []
        for run in runs:
            try:
                self.call(user, "recouvrement.run", method, [run])
            except UserError as error:
                refusals.append(error.args[0])
        return refusals

    def setup(self, env):
        company = env.ref("base.main_company")
        self.company_id = company.id
        managers = [
            env["res.users"].create(
                {
                    "name": f"Responsable {name}",
                    "login": login,
                    "password": login + "-password",
                    "email": f"{login}@example.com",
                    "lang": "fr_FR",
                    "company_id": company.id,
                    "company_ids": company.ids,
                    "group_ids": [
                        Command.set(
                            [
                                env.ref("account.group_account_invoice").id,
                                env.ref("recouvrement_creances.group_recouvrement_manager").id,
                            ]
                        )
                    ],
                }
            )
            for name, login in (("A", "mesure_responsable_a"), ("B", "mesure_responsable_b"))
        ]
        self.managers = [(user.id, user.login + "-password") for user in managers]
        env = env(context=dict(env.context, allowed_company_ids=company.ids, tracking_disable=True))
        partners = env["res.partner"].create(
            [
                {
                    "name": f"Client mesure {index:03d}",
                    "is_company": True,
                    "email": f"client.mesure.{index}@example.com",
                    "street": "1 place Bellecour",
                    "zip": "69002",
                    "city": "Lyon",
                    "country_id": env.ref("base.fr").id,
                    "lang": "fr_FR",
                }
                for index in range(self.count)
            ]
        )
        due = date.today() - timedelta(days=20)
        invoices = env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": due - timedelta(days=30),
                    "invoice_date_due": due,
                    "invoice_line_ids": [
                        Command.create({"name": "Prestation", "price_unit": 500.0, "tax_ids": [Command.clear()]})
                    ],
                }
                for partner in partners
            ]
        )
        invoices.action_post()
        self.debtor_ids = partners.ids

    def chased(self, env):
        env.cr.execute(
            """SELECT action.partner_id, action.state, action.mail_message_id,
                      (SELECT COUNT(*) FROM mail_message message
                        WHERE message.model = 'recouvrement.action' AND message.res_id = action.id
                          AND message.message_type = 'email_outgoing')
                 FROM recouvrement_action action
                WHERE action.partner_id = ANY(%s) AND action.state != 'cancelled'""",
            [self.debtor_ids],
        )
        return env.cr.fetchall()

    def concurrency(self):
        manager_a, manager_b = self.managers
        run_a, run_b = (
            self.call(user, "recouvrement.run", "create", {"partner_ids": [Command.set(self.debtor_ids)]})
            for user in self.managers
        )
        propose = self.together(
            lambda: self.press(manager_a, "action_propose", [run_a]),
            lambda: self.press(manager_b, "action_propose", [run_b]),
        )
        execute = self.together(
            lambda: self.press(manager_a, "action_execute", [run_a, run_b]),
            lambda: self.press(manager_b, "action_execute", [run_b, run_a]),
        )
        retry = self.press(manager_a, "action_execute", [run_a, run_b])
        rows = self.committed(self.chased)
        actions, emails = {}, {}
        for partner, _state, _message, count in rows:
            actions[partner] = actions.get(partner, 0) + 1
            emails[partner] = emails.get(partner, 0) + count
        return {
            "refusals": sorted({refusal for refusals in propose + execute + [retry] for refusal in refusals}),
            "debtors proposed": len(actions),
            "debtors with more than one action": sum(1 for count in actions.values() if count > 1),
            "debtors with more than one email": sum(1 for count in emails.values() if count > 1),
            "emails queued": sum(emails.values()),
        }

    def mail_server_down_then_back(self):
        from odoo.addons.recouvrement_creances.tests.smtp_server import LocalSmtpServer, free_port

        port = free_port()

        def down(env):
            env["ir.mail_server"].search([]).active = False
            env["ir.mail_server"].create(
                {"name": "Serveur local", "smtp_host": "127.0.0.1", "smtp_port": port, "smtp_encryption": "none"}
            )

        self.committed(down)
        start = datetime.utcnow()
        self.committed(lambda env: env["mail.mail"].process_email_queue())
        waiting = self.committed(
            lambda env: env["recouvrement.action"].search_count(
                [("partner_id", "in", self.debtor_ids), ("state", "=", "pending"), ("mail_next_try", "!=", False)]
            )
        )
        with LocalSmtpServer(port) as server, freeze_time(start + timedelta(minutes=6)):
            self.committed(lambda env: env["mail.mail"].process_email_queue())
        reached = {to for _sender, recipients, _message in server.messages for to in recipients}
        rows = self.committed(self.chased)
        emails = self.committed(
            lambda env: dict(env["res.partner"].browse(self.debtor_ids).mapped(lambda p: (p.id, p.email)))
        )
        return {
            "emails waiting for a new attempt while the server was down": waiting,
            "actions done once it was back": sum(1 for _p, state, _m, _c in rows if state == "done"),
            "debtors not reached": sum(1 for partner in self.debtor_ids if emails[partner] not in reached),
        }

    @staticmethod
    def milder(env):
        """Executed actions reading at a lower level than one an overdue invoice they list already had."""
        env.cr.execute(
            """SELECT COUNT(*) FROM recouvrement_action action
                 JOIN recouvrement_level level ON level.id = action.level_id
                WHERE action.state IN ('pending', 'done') AND EXISTS (
                      SELECT 1 FROM recouvrement_action_line line
                        JOIN recouvrement_action_line earlier ON earlier.move_id = line.move_id
                        JOIN recouvrement_action previous ON previous.id = earlier.action_id
                        JOIN recouvrement_level had ON had.id = earlier.level_id
                       WHERE line.action_id = action.id AND NOT line.excluded AND line.days_overdue > 0
                         AND previous.id < action.id AND previous.state = 'done' AND NOT earlier.excluded
                         AND had.offset_days > level.offset_days)"""
        )
        total = env.cr.fetchone()[0]
        env.cr.execute(
            "SELECT COUNT(*) FROM recouvrement_action WHERE state IN ('pending', 'done') AND level_id IS NOT NULL"
        )
        return {"executed actions": env.cr.fetchone()[0], "milder actions": total}

    def missing_rate(self, env):
        """A business invoice due on 20 September 2026, its formal notice on 5 January 2027, before the ECB rate of
        1 January 2027 is known."""
        env = env(context=dict(env.context, allowed_company_ids=[self.company_id]))
        partner = env["res.partner"].create(
            {"name": "Client mesure taux", "is_company": True, "email": "client.mesure.taux@example.com",
             "street": "2 rue de la République", "zip": "69001", "city": "Lyon", "country_id": env.ref("base.fr").id,
             "lang": "fr_FR"}
        )  # fmt: skip
        invoice = env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": date(2026, 8, 21),
                "invoice_date_due": date(2026, 9, 20),
                "invoice_line_ids": [Command.create({"name": "Prestation", "price_unit": 1000.0, "tax_ids": []})],
            }
        )
        invoice.action_post()
        admin = env.ref("base.user_admin")
        with freeze_time("2027-01-05"):
            run = env["recouvrement.run"].with_user(admin).create({"partner_ids": [Command.set(partner.ids)]})
            run.action_propose()
            notice = run.action_ids.filtered(lambda action: action.channel == "registered_letter")
            try:
                notice.action_execute()
                refusal = None
            except UserError as error:
                refusal = error.args[0]
            return {
                "mise en demeure proposed": bool(notice),
                "its state after Execute": notice.state,
                "letter rendered": bool(notice.letter_attachment_id),
                "refusal": refusal,
            }


def main(conf, db, debtors="330"):
    config.parse_config(["-c", conf])
    odoo.modules.module.current_test = False
    measure = Measure(db, int(debtors))
    measure.committed(measure.setup)
    concurrency = f"1. Two managers propose, then execute, at the same moment ({debtors} debtors 20 days late)"
    report = {
        concurrency: measure.concurrency(),
        "2. The mail server is down, then back": measure.mail_server_down_then_back(),
        "3. Never milder (whole database, demo included)": measure.committed(measure.milder),
        "4. A mise en demeure that needs an unknown rate": measure.committed(measure.missing_rate),
    }
    for title, figures in report.items():
        print(f"\n{title}")
        for key, value in figures.items():
            if isinstance(value, list):
                print(f"  {key}:")
                for item in value:
                    print(f"    - {item}")
            else:
                print(f"  {key}: {value}")


if __name__ == "__main__":
    main(*sys.argv[1:])
