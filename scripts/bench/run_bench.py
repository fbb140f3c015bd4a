"""Times the collection run on the benchmark database, in one process, step by step.

    python run_bench.py ODOO_CONF DATABASE SIZE RESULTS_JSON [README]

With BENCH_PROFILE=1 it also writes cProfile outputs of propose and execute beside RESULTS_JSON.

Every step runs inside a savepoint that is rolled back: the database is left as the generator built it.
Each timing is the median of REPEAT runs. Prints a table, writes the figures as JSON and, given a
README, rewrites its performance table between the ``bench:start`` and ``bench:end`` markers.
"""

import concurrent.futures
import contextlib
import cProfile
import io
import json
import os
import platform
import pstats
import re
import resource
import statistics
import subprocess
import sys
import time
import urllib.request

from markupsafe import Markup
from odoo_env import odoo_env

from odoo import Command, fields
from odoo.tools import SQL

REPEAT = 3
EXECUTE_DEBTORS = {"large": 10_000, "full": 10_000, "small": 1_000}
PEER_DEBTORS = {"large": 1_000, "full": 1_000, "small": 200}  # the peer's email step: the first of ours
EXECUTE_LEVEL_OFFSET = 14  # "First reminder": email only, in both default policies
PORTAL_LOADS, PORTAL_CLIENTS, PORTAL_WORKERS = 200, 10, 2  # one worker per core of the bench machine
SCALING = {"large": (25_000, 125_000, 250_000), "full": (10_000, 50_000, 100_000), "small": (1_000, 5_000, 10_000)}
FLOOR_DEBTORS = 1_000  # the execution's floor is measured on this many debtors


class Bench:
    def __init__(self, env, size, conf):
        self.conf = conf
        self.env = env
        self.cr = env.cr
        self.size = size
        self.company = env.company
        icp = env["ir.config_parameter"]
        self.date = fields.Date.to_date(icp.get_param("recouvrement_bench.date"))
        self.big_debtor = env["res.partner"].browse(int(icp.get_param("recouvrement_bench.big_debtor_id")))
        self.results = {}

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    @contextlib.contextmanager
    def rolled_back(self):
        """Everything done inside is undone, caches included."""
        with contextlib.closing(self.cr.savepoint()):
            yield
        self.env.invalidate_all(flush=False)

    def measure(self, function, repeat=REPEAT):
        return measure(self.env, function, repeat)

    def new_run(self):
        return self.env["recouvrement.run"].create({"company_id": self.company.id, "date": self.date})

    def log(self, message):
        print(f"[bench] {message}", flush=True)

    # ------------------------------------------------------------------
    # Steps
    # ------------------------------------------------------------------

    def floor(self):
        """The least work any run must do: one SQL aggregate of the overdue open receivables per partner."""
        query = SQL(
            """SELECT line.partner_id, SUM(line.amount_residual)
                 FROM account_move_line line
                 JOIN account_account account ON account.id = line.account_id
                WHERE line.company_id = %s AND line.parent_state = 'posted' AND NOT line.reconciled
                  AND account.account_type = 'asset_receivable' AND line.date_maturity < %s
             GROUP BY line.partner_id""",
            self.company.id,
            self.date,
        )
        seconds, _queries, rows = self.measure(lambda tick: self.env.execute_query(query), repeat=5)
        self.results["floor"] = {"seconds": seconds, "debtors_overdue": len(rows)}

    def count_debtors(self):
        self.cr.execute(
            """SELECT count(DISTINCT line.partner_id), count(DISTINCT line.move_id)
                 FROM account_move_line line JOIN account_account account ON account.id = line.account_id
                WHERE line.company_id = %s AND line.parent_state = 'posted' AND NOT line.reconciled
                  AND account.account_type = 'asset_receivable'""",
            [self.company.id],
        )
        self.debtors, self.open_invoices = self.cr.fetchone()

    def propose(self):
        def run(tick):
            run = self.new_run()
            run.action_propose()
            return len(run.action_ids)

        seconds, queries, actions = self.measure(run)
        self.results["propose"] = {
            "seconds": seconds,
            "queries": queries,
            "debtors": self.debtors,
            "open_invoices": self.open_invoices,
            "actions": actions,
            "queries_per_debtor": queries / self.debtors,
            "ratio_to_floor": seconds / self.results["floor"]["seconds"],
        }

    def execute(self):
        def run(tick):
            run = self.new_run()
            run.action_propose()
            actions = execute_selection(run, self.size)
            tick()
            run._execute_actions(actions)
            self.cr.precommit.run()  # what Odoo does before committing: the tracking messages of the actions
            return len(actions)

        self.results["execute"] = throughput(*self.measure(run))

    def execute_floor(self):
        """The least work an email execution must do, as Odoo's ORM does it, for FLOOR_DEBTORS debtors: the email
        kept in the action's chatter (its mail and message), its notification, and the log in the chatter of the
        debtor and of each invoice, each kind created with one create for all. The bodies are the ones the
        execution renders, rendered beforehand (not timed): the floor leaves out rendering, the checks before
        execution, the levels and the evidence."""
        Partner, Move = self.env["res.partner"], self.env["account.move"]

        def run(tick):
            run = self.new_run()
            run.action_propose()
            actions = execute_selection(run, self.size)[:FLOOR_DEBTORS]
            template = actions.level_id.mail_template_id
            bodies = template._render_field("body_html", actions.ids, compute_lang=True)
            moves = {action.id: action.line_ids.move_id.ids for action in actions}
            author = self.env.user.partner_id
            summary = Markup("<p>%s</p>") % "Recouvrement : Première relance par e-mail, net dû 1 000,00 €."
            tick()
            mails = (
                self.env["mail.mail"]
                .sudo()
                .create(
                    [
                        {
                            "model": actions._name,
                            "res_id": action.id,
                            "message_type": "email_outgoing",
                            "author_id": author.id,
                            "subject": template.subject,
                            "body": bodies[action.id],
                            "body_html": bodies[action.id],
                            "recipient_ids": [Command.link(action.recipient_id.id)],
                            "is_notification": True,
                        }
                        for action in actions
                    ]
                )
            )
            self.env["mail.notification"].sudo().create(
                [
                    {
                        "author_id": author.id,
                        "mail_mail_id": mail.id,
                        "mail_message_id": mail.mail_message_id.id,
                        "res_partner_id": action.recipient_id.id,
                        "notification_type": "email",
                        "notification_status": "ready",
                        "is_read": True,
                    }
                    for mail, action in zip(mails, actions, strict=True)
                ]
            )
            debtor_ids = actions.partner_id.ids
            Partner.browse(debtor_ids)._message_log_batch(bodies=dict.fromkeys(debtor_ids, summary))
            move_ids = {move_id for ids in moves.values() for move_id in ids}
            Move.browse(move_ids)._message_log_batch(bodies=dict.fromkeys(move_ids, summary))
            return len(actions)

        self.results["execute_floor"] = throughput(*self.measure(run))

    def rerun(self):
        """Once the day's run is executed, a second run the same day finds nothing to do. The first run's
        execution is set-up, not measured: its actions are marked done and its invoices' levels moved, as an
        execution leaves them (rendering its thousands of letters would take the bench hours)."""
        with self.rolled_back():
            first = self.new_run()
            first.action_propose()
            actions = first.action_ids.sudo()
            actions.write({"state": "done"})
            actions.line_ids.move_id._collection_sync_levels()
            first.state = "done"

            def run(tick):
                again = self.new_run()
                again.action_propose()
                return len(again.action_ids)

            seconds, queries, actions = self.measure(run)
        self.results["rerun"] = {"seconds": seconds, "queries": queries, "actions": actions}

    def scaling(self):
        """Propose on the first debtors only (by id), up to each size: the others' items are set aside."""
        self.cr.execute(
            """SELECT line.partner_id, count(DISTINCT line.move_id)
                 FROM account_move_line line JOIN account_account account ON account.id = line.account_id
                WHERE line.company_id = %s AND line.parent_state = 'posted' AND NOT line.reconciled
                  AND account.account_type = 'asset_receivable'
             GROUP BY line.partner_id ORDER BY line.partner_id""",
            [self.company.id],
        )
        counts = self.cr.fetchall()
        points = []
        for target in SCALING[self.size]:
            kept, total = [], 0
            for partner_id, count in counts:
                if total >= target:
                    break
                kept.append(partner_id)
                total += count

            def run(tick, kept=kept):
                self.cr.execute(
                    """UPDATE account_move_line SET no_followup = TRUE
                        WHERE company_id = %s AND NOT reconciled AND partner_id != ALL(%s)""",
                    [self.company.id, kept],
                )
                tick()
                self.new_run().action_propose()

            seconds, queries, _result = self.measure(run)
            points.append({"open_invoices": total, "seconds": seconds, "queries": queries})
            self.log(f"scaling: {total} open invoices proposed in {seconds:.2f} s")
        self.results["scaling"] = points

    def debtor_form(self):
        """The collection figures of the partner form, for a debtor with 200 open invoices."""
        partner = self.big_debtor
        names = [
            name
            for name, field in partner._fields.items()
            if name.startswith("collection_") and field.compute and not field.store
        ]
        self.cr.execute(
            "SELECT count(*) FROM account_move WHERE commercial_partner_id = %s AND move_type = 'out_invoice' "
            "AND state = 'posted' AND payment_state IN ('not_paid', 'partial')",
            [partner.id],
        )
        (open_invoices,) = self.cr.fetchone()
        seconds, queries, _result = self.measure(lambda tick: partner.web_read({name: {} for name in names}), repeat=5)
        self.results["debtor_form"] = {
            "seconds": seconds,
            "queries": queries,
            "open_invoices": open_invoices,
            "fields": names,
        }

    def dashboard(self):
        """The dashboard's main screen: every figure, as its client action asks for them."""
        seconds, queries, _result = self.measure(
            lambda tick: self.env["recouvrement.dashboard"].get_dashboard_data(), repeat=5
        )
        self.results["dashboard"] = {"seconds": seconds, "queries": queries}

    def aged_balance(self):
        """The aged balance as its list opens: grouped by customer, first 80 groups with their totals."""
        Aged = self.env["recouvrement.aged.balance"]
        columns = [name for name in Aged._fields if name.startswith("amount_")]

        def load(tick):
            return Aged.web_read_group(
                [("company_id", "=", self.company.id)], ["partner_id"], [f"{name}:sum" for name in columns], limit=80
            )

        seconds, queries, result = self.measure(load, repeat=5)
        self.results["aged_balance"] = {"seconds": seconds, "queries": queries, "groups": result["length"]}

    def portal(self):
        """The debtor's portal page of the debtor with 200 open invoices, loaded PORTAL_LOADS times by
        PORTAL_CLIENTS concurrent clients over loopback, from an Odoo server of PORTAL_WORKERS processes. Its
        link is committed for the server to see, and deleted afterwards."""
        registry = self.env.registry
        with registry.cursor() as cr:
            env = self.env(cr=cr)
            link = env["recouvrement.portal.access"]._for_partners(self.big_debtor)[self.big_debtor]
            token, link_id = link.token, link.id
        open_invoices = len(self.env["recouvrement.portal"]._open_documents(self.big_debtor))
        port = 8099
        server = subprocess.Popen(
            [
                sys.executable, "-m", "odoo", "-c", self.conf, "-d", self.cr.dbname,
                f"--db-filter=^{self.cr.dbname}$", f"--http-port={port}", f"--gevent-port={port + 1}",
                f"--workers={PORTAL_WORKERS}", "--max-cron-threads=0", "--log-level=warn",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}/my/recouvrement?access_token={token}"
        self.log(f"portal page {url} ({open_invoices} open invoices)")
        try:
            wait_for(f"http://127.0.0.1:{port}/web/login")
            first = timed_get(url)  # the content is computed (penalties of every invoice), then kept
            latencies, errors = load(url, PORTAL_LOADS, PORTAL_CLIENTS)
            # the floor: Odoo's own login page, under the same load on the same server
            floor, _floor_errors = load(f"http://127.0.0.1:{port}/web/login", PORTAL_LOADS, PORTAL_CLIENTS)
        finally:
            server.terminate()
            server.wait(timeout=60)
            with registry.cursor() as cr:
                cr.execute("DELETE FROM recouvrement_portal_access WHERE id = %s", [link_id])
        latencies.sort()
        floor.sort()
        self.results["portal"] = {
            "floor_p50_ms": floor[len(floor) // 2] * 1000,
            "open_invoices": open_invoices,
            "first_ms": first * 1000,
            "p50_ms": latencies[len(latencies) // 2] * 1000,
            "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000,
            "errors": errors,
            "loads": PORTAL_LOADS,
            "clients": PORTAL_CLIENTS,
        }

    def scoring(self):
        """The nightly scoring of every debtor: the first night (creating the solvency files), then the next."""
        Solvency = self.env["recouvrement.solvency"]
        first, first_queries, files = self.measure(lambda tick: Solvency._score_partners(), repeat=1)
        with self.rolled_back():
            Solvency._score_partners()
            again, again_queries, _files = self.measure(lambda tick: Solvency._score_partners(), repeat=1)
        self.results["scoring"] = {
            "seconds": max(first, again),
            "first_seconds": first,
            "next_seconds": again,
            "queries": max(first_queries, again_queries),
            "debtors": len(files),
        }

    def profile(self, directory):
        """cProfile of one propose and of the execution of a tenth of the execute step's actions, written to
        ``directory``/profile-<step>.txt (by cumulative and by own time). Not timed: the profiler slows
        everything down."""
        for step in ("propose", "execute"):
            with self.rolled_back():
                run = self.new_run()
                profiler = cProfile.Profile()
                if step == "propose":
                    profiler.runcall(run.action_propose)
                else:
                    run.action_propose()
                    actions = execute_selection(run, self.size)[: EXECUTE_DEBTORS[self.size] // 10]
                    self.env.flush_all()
                    self.env.invalidate_all()
                    profiler.enable()
                    run._execute_actions(actions)
                    self.cr.precommit.run()
                    self.env.flush_all()
                    profiler.disable()
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out).strip_dirs()
            out.write(f"# {step} on {self.size}: by cumulative time\n")
            stats.sort_stats("cumulative").print_stats(40)
            out.write(f"# {step} on {self.size}: by own time\n")
            stats.sort_stats("tottime").print_stats(25)
            path = os.path.join(directory, f"profile-{step}.txt")
            with open(path, "w", encoding="utf-8") as file:
                file.write(out.getvalue())
            self.log(f"profile of {step} written to {path}")

    def run(self):
        self.count_debtors()
        self.log(f"{self.debtors} debtors with {self.open_invoices} open items, run date {self.date}")
        steps = (
            self.floor,
            self.propose,
            self.execute,
            self.execute_floor,
            self.rerun,
            self.debtor_form,
            self.dashboard,
            self.aged_balance,
            self.scoring,
            self.portal,
            self.scaling,
        )
        only = os.environ.get("BENCH_STEPS")  # for profiling one step: BENCH_STEPS=floor,propose
        for step in steps:
            if only and step.__name__ not in only.split(","):
                continue
            started = time.monotonic()
            step()
            self.log(f"{step.__name__} measured in {time.monotonic() - started:.0f} s")
        self.results["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.results["machine"] = machine()
        self.results["size"] = self.size
        self.results["repeat"] = REPEAT
        self.results["run_date"] = fields.Date.to_string(self.date)
        self.results["targets"] = check_targets(self.results)
        return self.results


def measure(env, function, repeat=REPEAT):
    """Median seconds and queries of ``function(tick)``, each run rolled back, caches included; ``tick()`` starts
    the clock (what comes before it is set-up). Returns (seconds, queries, last result)."""
    timings, queries, result = [], [], None
    for _index in range(repeat):
        with contextlib.closing(env.cr.savepoint()):
            env.invalidate_all()
            start = {}

            def tick(start=start):
                env.flush_all()
                env.invalidate_all()
                start["time"], start["queries"] = time.perf_counter(), env.cr.sql_log_count

            tick()
            result = function(tick)
            env.flush_all()
            timings.append(time.perf_counter() - start["time"])
            queries.append(env.cr.sql_log_count - start["queries"])
        env.invalidate_all(flush=False)
    return statistics.median(timings), statistics.median(queries), result


def throughput(seconds, queries, debtors):
    """The figures of a step that handles ``debtors`` debtors in ``seconds`` with ``queries`` queries."""
    return {
        "seconds": seconds,
        "queries": queries,
        "debtors": debtors,
        "debtors_per_second": debtors / seconds,
        "queries_per_debtor": queries / debtors,
    }


def execute_selection(run, size):
    """The actions the execute step executes: the run's first-reminder emails (email only in both default
    policies), by id, EXECUTE_DEBTORS of them. The peer and the workers take the same debtors."""
    return run.action_ids.filtered(
        lambda a: a.channel == "email" and a.level_id.offset_days == EXECUTE_LEVEL_OFFSET
    ).sorted("id")[: EXECUTE_DEBTORS[size]]


def wait_for(url, seconds=120):
    """Until ``url`` answers (the server started)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def timed_get(url):
    """Seconds to load ``url`` (its whole body); raises on an HTTP error."""
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        response.read()
    return time.perf_counter() - start


def load(url, loads, clients):
    """``loads`` loads of ``url`` by ``clients`` concurrent clients: (latencies in seconds, errors)."""
    latencies, errors = [], []

    def one(_index):
        try:
            latencies.append(timed_get(url))
        except OSError as error:
            errors.append(error)

    with concurrent.futures.ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(one, range(loads)))
    return latencies, len(errors)


def machine():
    with open("/proc/meminfo") as meminfo:
        ram_kb = int(re.search(r"MemTotal:\s+(\d+)", meminfo.read()).group(1))
    with open("/proc/cpuinfo") as cpuinfo:
        cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "")
    postgres = subprocess.run(
        ["psql", "-XtAc", "SHOW server_version", "postgres"], capture_output=True, text=True, check=False
    )
    return {
        "cores": os.cpu_count(),
        "ram_gb": round(ram_kb / 1024 / 1024, 1),
        "cpu": cpu,
        "python": platform.python_version(),
        "postgresql": postgres.stdout.strip().split(" ")[0],
    }


def check_targets(results):
    """(figure, target, measured, met) for each target whose steps were measured (BENCH_STEPS may pick some)."""
    rows = []
    for steps, row in TARGETS:
        if all(step in results for step in steps):
            rows.append(row(results))
    return rows


def _scaling_row(results):
    scaling = results["scaling"]
    growth = (scaling[-1]["seconds"] / scaling[0]["seconds"]) / (
        scaling[-1]["open_invoices"] / scaling[0]["open_invoices"]
    )
    return (
        "scaling, propose " + " → ".join(f"{p['open_invoices'] // 1000}k" for p in scaling),
        "no worse than linear",
        " / ".join(f"{p['seconds']:.2f} s" for p in scaling) + f" (growth {growth:.2f} × linear)",
        growth <= 1.0,
    )


TARGETS = [
    (
        ("propose",),
        lambda r: (
            f"propose, {r['propose']['open_invoices'] // 1000}k open invoices",
            "≤ 5 s",
            f"{r['propose']['seconds']:.2f} s ({r['propose']['actions']} actions)",
            r["propose"]["seconds"] <= 5,
        ),
    ),
    (
        ("propose", "floor"),
        lambda r: (
            "propose / floor",
            "≤ 25 ×",
            f"{r['propose']['ratio_to_floor']:.1f} × (floor {r['floor']['seconds'] * 1000:.0f} ms)",
            r["propose"]["ratio_to_floor"] <= 25,
        ),
    ),
    (
        ("execute",),
        lambda r: (
            "execute (email)",
            "≥ 200 debtors/s",
            f"{r['execute']['debtors_per_second']:.0f} debtors/s "
            f"({r['execute']['debtors']} in {r['execute']['seconds']:.1f} s)"
            + (
                f"; floor {r['execute_floor']['debtors_per_second']:.0f} debtors/s (Odoo creating the same mails, "
                f"notifications and chatter logs, {r['execute_floor']['debtors']} debtors)"
                if "execute_floor" in r
                else ""
            ),
            r["execute"]["debtors_per_second"] >= 200,
        ),
    ),
    (
        ("rerun",),
        lambda r: (
            "rerun with nothing to do",
            "≤ 2 s",
            f"{r['rerun']['seconds']:.2f} s ({r['rerun']['actions']} actions)",
            r["rerun"]["seconds"] <= 2 and r["rerun"]["actions"] == 0,
        ),
    ),
    (
        ("execute",),
        lambda r: (
            "queries per debtor, execute",
            "≤ 0.2",
            f"{r['execute']['queries_per_debtor']:.3f} ({r['execute']['queries']} queries)",
            r["execute"]["queries_per_debtor"] <= 0.2,
        ),
    ),
    (
        ("propose",),
        lambda r: (
            "queries per debtor, propose",
            "≤ 0.05",
            f"{r['propose']['queries_per_debtor']:.4f} ({r['propose']['queries']} queries)",
            r["propose"]["queries_per_debtor"] <= 0.05,
        ),
    ),
    (
        ("peak_rss_mb",),
        lambda r: ("peak RSS during the run", "≤ 1.5 GB", f"{r['peak_rss_mb']:.0f} MB", r["peak_rss_mb"] <= 1536),
    ),
    (("scaling",), _scaling_row),
    (
        ("debtor_form",),
        lambda r: (
            f"opening a debtor ({r['debtor_form']['open_invoices']} open invoices)",
            "≤ 0.2 s",
            f"{r['debtor_form']['seconds'] * 1000:.0f} ms ({r['debtor_form']['queries']} queries)",
            r["debtor_form"]["seconds"] <= 0.2,
        ),
    ),
]


TARGETS += [
    (
        ("dashboard",),
        lambda r: (
            "dashboard, main screen",
            "≤ 1 s",
            f"{r['dashboard']['seconds'] * 1000:.0f} ms ({r['dashboard']['queries']} queries)",
            r["dashboard"]["seconds"] <= 1,
        ),
    ),
    (
        ("aged_balance",),
        lambda r: (
            f"aged balance by customer ({r['aged_balance']['groups']} customers)",
            "≤ 1 s",
            f"{r['aged_balance']['seconds'] * 1000:.0f} ms",
            r["aged_balance"]["seconds"] <= 1,
        ),
    ),
    (
        ("portal",),
        lambda r: (
            f"debtor portal page, {r['portal']['open_invoices']} open invoices, {r['portal']['loads']} loads by "
            f"{r['portal']['clients']} clients",
            "p50 ≤ 1.0 × Odoo's /web/login under the same load, p95 ≤ 400 ms, no error",
            f"p50 {r['portal']['p50_ms']:.0f} ms ({r['portal']['p50_ms'] / r['portal']['floor_p50_ms']:.2f} × "
            f"/web/login's {r['portal']['floor_p50_ms']:.0f} ms), p95 {r['portal']['p95_ms']:.0f} ms, "
            f"{r['portal']['errors']} errors (first load {r['portal']['first_ms']:.0f} ms)",
            r["portal"]["p50_ms"] <= r["portal"]["floor_p50_ms"]
            and r["portal"]["p95_ms"] <= 400
            and not r["portal"]["errors"],
        ),
    ),
    (
        ("scoring",),
        lambda r: (
            f"nightly scoring, {r['scoring']['debtors']} debtors",
            "≤ 60 s",
            f"{r['scoring']['first_seconds']:.1f} s the first night, {r['scoring']['next_seconds']:.1f} s the next",
            r["scoring"]["seconds"] <= 60,
        ),
    ),
]


TARGETS += [
    (
        ("propose", "peer"),
        lambda r: (
            f"propose against OCA account_credit_control {r['peer']['version']}'s line generation",
            "≥ 10 × faster",
            f"{r['peer']['generate']['seconds'] / r['propose']['seconds']:.1f} × (OCA: "
            f"{r['peer']['generate']['seconds']:.1f} s, {r['peer']['generate']['lines']} lines, "
            f"{r['peer']['generate']['queries']} queries)",
            r["peer"]["generate"]["seconds"] / r["propose"]["seconds"] >= 10,
        ),
    ),
    (
        ("execute", "peer"),
        lambda r: (
            f"execute against OCA's emails ({r['peer']['email']['debtors']} of the same debtors)",
            "≥ 10 × the debtors/s",
            f"{r['execute']['debtors_per_second'] / r['peer']['email']['debtors_per_second']:.1f} × (OCA: "
            f"{r['peer']['email']['debtors_per_second']:.0f} debtors/s, "
            f"{r['peer']['email']['queries_per_debtor']:.1f} queries per debtor)",
            r["execute"]["debtors_per_second"] / r["peer"]["email"]["debtors_per_second"] >= 10,
        ),
    ),
    (
        ("workers",),
        lambda r: (
            "execution by Odoo cron workers, " + " and ".join(f"{w['workers']}" for w in r["workers"]) + " workers",
            "no duplicate, chain intact",
            "; ".join(
                f"{w['workers']} worker{'s' if w['workers'] > 1 else ''}: {w['debtors_per_second']:.0f} debtors/s "
                f"({w['debtors']} in {w['seconds']:.1f} s, {w['retries']} batches retried), "
                f"{w['duplicates']} duplicates, chain "
                f"{'intact' if w['chain_intact'] else 'BROKEN'}"
                for w in r["workers"]
            ),
            all(not w["duplicates"] and w["chain_intact"] and w["debtors"] for w in r["workers"]),
        ),
    ),
]


def table(results):
    rows = [("figure", "target", "measured", "met")] + [
        (figure, target, measured, "yes" if met else "NO") for figure, target, measured, met in results["targets"]
    ]
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    lines.insert(1, "|---|---|---|---|")
    return "\n".join(lines)


def update_readme(path, results):
    m = results["machine"]
    section = (
        f"Measured on {results['run_date']} by `make bench` on {m['cores']} cores, {m['ram_gb']} GB RAM "
        f"({m['cpu']}), PostgreSQL {m['postgresql']}, Python {m['python']}: "
        f"{results['propose']['debtors']} debtors, {results['propose']['open_invoices']} open invoices, "
        f"median of {results['repeat']} runs.\n\n{table(results)}\n"
    )
    with open(path, encoding="utf-8") as readme:
        text = readme.read()
    text, count = re.subn(
        r"(<!-- bench:start -->\n).*?(<!-- bench:end -->)",
        lambda match: match[1] + section + match[2],
        text,
        flags=re.S,
    )
    if count != 1:
        raise SystemExit(f"{path} has no bench:start / bench:end markers")
    with open(path, "w", encoding="utf-8") as readme:
        readme.write(text)


def main():
    conf, dbname, size, output = sys.argv[1:5]
    readme = sys.argv[5] if len(sys.argv) > 5 else None
    with odoo_env(conf, dbname) as env:
        bench = Bench(env, size, conf)
        # measured beforehand on copies of the database (scripts/bench/peer.py, workers.py), when asked for
        for key in ("peer", "workers"):
            path = os.environ.get(f"BENCH_{key.upper()}_JSON")
            if path and os.path.exists(path):
                with open(path, encoding="utf-8") as file:
                    bench.results[key] = json.load(file)
        results = bench.run()
        if os.environ.get("BENCH_PROFILE"):  # BENCH_PROFILE=1 make bench: also where the time goes
            bench.profile(os.path.dirname(os.path.abspath(output)))
        env.cr.rollback()
    with open(output, "w", encoding="utf-8") as out:
        json.dump(results, out, indent=2, ensure_ascii=False)
    print(table(results))
    if readme and not os.environ.get("BENCH_STEPS"):  # the README shows complete runs only
        update_readme(readme, results)
    met = sum(1 for *_rest, ok in results["targets"] if ok)
    print(f"{met} of {len(results['targets'])} targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
