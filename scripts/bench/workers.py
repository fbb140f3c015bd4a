"""Executes the daily run with Odoo cron workers, on a copy of the benchmark database (it commits).

    python workers.py ODOO_CONF DATABASE SIZE WORKERS RESULTS_JSON PORT SERVER_LOG

The daily run of the bench date is proposed and committed, with only the actions of the execute step left to
execute (the others cancelled). WORKERS scheduled actions "Collection: execution worker" are then woken on an
Odoo server started with as many cron worker processes (prefork), and timed until the last batch is committed.
Then: how many debtors were chased twice at a level (duplicates), how many emails each action has, whether the
company's evidence chain is intact, and how many batches Odoo retried after a conflict between transactions.
"""

import json
import subprocess
import sys
import time

from odoo_env import odoo_env
from run_bench import execute_selection, wait_for

from odoo import fields
from odoo.tools import SQL

TIMEOUT = 3600


def set_up(env, size, workers):
    """Propose today's daily run, keep the execute step's actions, and leave only WORKERS worker crons active."""
    today = fields.Date.context_today(env["res.partner"])
    bench_date = fields.Date.to_date(env["ir.config_parameter"].get_param("recouvrement_bench.date"))
    if bench_date != today:
        raise SystemExit(f"The benchmark database is of {bench_date}, not of today: rebuild it (make bench).")
    run = env["recouvrement.run"]._cron_propose(env.company, today)
    kept = execute_selection(run, size)
    env.cr.execute(
        SQL(
            "UPDATE recouvrement_action SET state = 'cancelled' WHERE run_id = %s AND id != ALL(%s)",
            run.id,
            kept.ids,
        )
    )
    env.cr.execute(SQL("UPDATE ir_cron SET active = FALSE"))
    env.invalidate_all()
    worker = env.ref("recouvrement_creances.ir_cron_recouvrement_execute")
    crons = worker
    for index in range(2, workers + 1):  # more workers: the worker's scheduled action duplicated, as a user would
        crons |= worker.copy({"name": f"{worker.name} {index}"})
    crons.write({"active": True, "nextcall": fields.Datetime.add(fields.Datetime.now(), days=1)})
    env.cr.commit()
    return run, kept, crons


def check(env, run, kept):
    """(executed, duplicates, emails per executed action other than one, chain intact)."""
    env.cr.execute(
        SQL(
            """SELECT COUNT(*) FROM (SELECT line.move_id, line.level_id
                                       FROM recouvrement_action_line line
                                       JOIN recouvrement_action action ON action.id = line.action_id
                                      WHERE action.run_id = %s AND action.state IN ('pending', 'done')
                                        AND NOT line.excluded AND line.level_id IS NOT NULL
                                   GROUP BY 1, 2 HAVING COUNT(*) > 1) twice""",
            run.id,
        )
    )
    (duplicates,) = env.cr.fetchone()
    env.cr.execute(
        SQL(
            """SELECT COUNT(*), COUNT(*) FILTER (WHERE emails != 1)
                 FROM (SELECT action.id, (SELECT COUNT(*) FROM mail_message message
                                           WHERE message.model = 'recouvrement.action' AND message.res_id = action.id
                                             AND message.message_type = 'email_outgoing') AS emails
                         FROM recouvrement_action action
                        WHERE action.id = ANY(%s) AND action.state IN ('pending', 'done')) executed""",
            kept.ids,
        )
    )
    executed, wrong_emails = env.cr.fetchone()
    intact = env["recouvrement.evidence"]._check_chain(env.company) is None
    return executed, duplicates + wrong_emails, intact


def main():
    conf, dbname, size, workers, output, port, log = sys.argv[1:8]
    workers, port = int(workers), int(port)
    with odoo_env(conf, dbname) as env:
        run, kept, crons = set_up(env, size, workers)
    open(log, "w").close()  # this run's server log only
    server = subprocess.Popen(
        [
            sys.executable, "-m", "odoo", "-c", conf, "-d", dbname, f"--db-filter=^{dbname}$",
            f"--http-port={port}", f"--gevent-port={port + 1}", "--workers=1", f"--max-cron-threads={workers}",
            "--limit-time-real-cron=0", f"--logfile={log}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for(f"http://127.0.0.1:{port}/web/login")
        with odoo_env(conf, dbname) as env:
            started = time.perf_counter()
            for cron in env["ir.cron"].browse(crons.ids):
                cron._trigger()
            env.cr.commit()
            while True:
                env.cr.execute(
                    SQL("SELECT COUNT(*) FROM recouvrement_action WHERE id = ANY(%s) AND state = 'proposed'", kept.ids)
                )
                if not env.cr.fetchone()[0]:
                    break
                if time.perf_counter() - started > TIMEOUT:
                    raise SystemExit(f"The workers did not execute the run within {TIMEOUT} s.")
                env.cr.rollback()
                time.sleep(0.2)
            seconds = time.perf_counter() - started
            env.cr.rollback()
            executed, duplicates, intact = check(env, env["recouvrement.run"].browse(run.id), kept)
    finally:
        server.terminate()
        server.wait(timeout=120)
    with open(log, encoding="utf-8") as server_log:
        lines = server_log.readlines()
    retries = sum(1 for line in lines if "tries left, try again" in line)  # Odoo's retry after a conflict
    errors = [line for line in lines if " ERROR " in line]
    if errors:
        raise SystemExit(f"The server logged errors ({log}): {errors[0]}")
    results = {
        "workers": workers,
        "retries": retries,
        "debtors": executed,
        "seconds": seconds,
        "debtors_per_second": executed / seconds,
        "duplicates": duplicates,
        "chain_intact": intact,
    }
    with open(output, "w", encoding="utf-8") as out:
        json.dump(results, out, indent=2)
    print(f"[bench] workers: {json.dumps(results)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
