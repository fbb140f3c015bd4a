#!/usr/bin/env bash
# `make bench`: builds (or reuses) the benchmark database, then times the collection run on it, beside the open
# peer (OCA's account_credit_control, installed from PyPI into a copy of the database: never a dependency of the
# product) and with Odoo cron workers (on copies of the database: they commit).
# SIZE=small builds a tenth of the data set, SIZE=large two and a half times it. The database is rebuilt when the
# addon or the generator changed; the timings never change it (every measure is rolled back, or made on a copy).
# BENCH_PEER=0 and BENCH_WORKERS=0 leave out the peer and the workers.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "${ROOT}/scripts/db.sh"

SIZE="${SIZE:-full}"
case "${SIZE}" in full|small|large) ;; *) die "SIZE must be full, small or large (got ${SIZE})." ;; esac
DB="recouvrement_bench_${SIZE}"
PEER_PACKAGE="odoo-addon-account-credit-control==19.0.1.0.0.13"
BENCH_DIR="${LOCAL}/bench"
mkdir -p "${BENCH_DIR}"

bash "${ROOT}/scripts/bootstrap.sh"

bench_hash() {
    { addon_hash; cat "${ROOT}"/scripts/bench/{generate,odoo_env}.py "${ROOT}/scripts/db.sh"; date +%F; } | sha256sum | cut -c1-16
}

if [ "$(cat "${LOCAL}/${DB}.bench-hash" 2>/dev/null)" != "$(bench_hash)" ] || ! db_exists "${DB}"; then
    say "Building the benchmark database ${DB} (SIZE=${SIZE})"
    started=$(date +%s)
    build_demo_db "${DB}_base" nodemo
    dropdb --if-exists "${DB}" 2>/dev/null
    psql -XqAc "ALTER DATABASE \"${DB}_base\" RENAME TO \"${DB}\"" postgres
    rm -f "${LOCAL}/${DB}.bench-hash"
    PYTHONPATH="${ODOO_SRC}:${ROOT}/scripts/bench" "${VENV}/bin/python" "${ROOT}/scripts/bench/generate.py" \
        "${ODOO_CONF}" "${DB}" "${SIZE}" 2>>"${LOG_DIR}/bench-generate.log" \
        || die "The data generator failed (log: ${LOG_DIR}/bench-generate.log)."
    # as autovacuum leaves a database in use: statistics and visibility maps up to date (index-only scans)
    psql -XqAc "VACUUM ANALYZE" "${DB}"
    bench_hash > "${LOCAL}/${DB}.bench-hash"
    say "Benchmark database built in $(( $(date +%s) - started )) s"
else
    say "Reusing the benchmark database ${DB} (unchanged addon and generator, built today)"
fi

# copy_db SOURCE TARGET: a copy of the database and of its files
copy_db() {
    drop_copy "$2"
    createdb -T "$1" "$2"
    [ ! -d "${DATA_DIR}/filestore/$1" ] || cp -a "${DATA_DIR}/filestore/$1" "${DATA_DIR}/filestore/$2"
}
drop_copy() {
    dropdb --if-exists "$1" 2>/dev/null
    rm -rf "${DATA_DIR}/filestore/$1"
}
bench_py() {  # SCRIPT ARGS...: a bench script with the project's Odoo
    PYTHONPATH="${ODOO_SRC}:${ROOT}/scripts/bench" "${VENV}/bin/python" "${ROOT}/scripts/bench/$1" "${@:2}" \
        2>>"${LOG_DIR}/bench-run.log"
}

PEER_JSON="${BENCH_DIR}/peer-${SIZE}.json"
WORKERS_JSON="${BENCH_DIR}/workers-${SIZE}.json"
rm -f "${PEER_JSON}" "${WORKERS_JSON}"

if [ "${BENCH_PEER:-1}" = 1 ]; then
    say "The peer: ${PEER_PACKAGE} from PyPI, on a copy of ${DB}"
    PEER_DIR="${BENCH_DIR}/peer"
    [ -f "${PEER_DIR}/.installed-${PEER_PACKAGE}" ] || {
        rm -rf "${PEER_DIR}"
        "${VENV}/bin/pip" install --quiet --no-deps --target "${PEER_DIR}" "${PEER_PACKAGE}" >>"${LOG_DIR}/bench-peer.log" 2>&1 \
            || die "Could not install ${PEER_PACKAGE} (log: ${LOG_DIR}/bench-peer.log)."
        touch "${PEER_DIR}/.installed-${PEER_PACKAGE}"
    }
    PEER_CONF="${LOCAL}/odoo-peer.conf"
    sed "s|^addons_path = .*|&,${PEER_DIR}/odoo/addons|" "${ODOO_CONF}" > "${PEER_CONF}"
    copy_db "${DB}" "${DB}_peer"
    ODOO_CONF="${PEER_CONF}" odoo_checked "${DB}_peer" "${LOG_DIR}/bench-peer.log" -i account_credit_control
    bench_py peer.py "${PEER_CONF}" "${DB}_peer" "${SIZE}" "${PEER_JSON}" "${PEER_PACKAGE}" \
        || die "The peer's benchmark failed (log: ${LOG_DIR}/bench-run.log)."
    drop_copy "${DB}_peer"
fi

if [ "${BENCH_WORKERS:-1}" = 1 ]; then
    runs=()
    for workers in 1 2; do
        say "The daily run executed by ${workers} cron worker(s), on a copy of ${DB}"
        copy_db "${DB}" "${DB}_workers"
        bench_py workers.py "${ODOO_CONF}" "${DB}_workers" "${SIZE}" "${workers}" "${BENCH_DIR}/workers-${SIZE}-${workers}.json" 8097 \
            "${LOG_DIR}/bench-workers-${workers}.log" \
            || die "The workers' benchmark failed (log: ${LOG_DIR}/bench-run.log)."
        drop_copy "${DB}_workers"
        runs+=("${BENCH_DIR}/workers-${SIZE}-${workers}.json")
    done
    "${VENV}/bin/python" -c 'import json, sys; json.dump([json.load(open(p)) for p in sys.argv[2:]], open(sys.argv[1], "w"), indent=2)' \
        "${WORKERS_JSON}" "${runs[@]}"
fi

say "Timing the collection run (${SIZE}); every step is rolled back"
RESULTS="${BENCH_DIR}/results-${SIZE}.json"
README_ARG=()
[ "${SIZE}" = full ] && README_ARG=("${ROOT}/README.md")  # the README shows the full-size figures only
BENCH_PEER_JSON="${PEER_JSON}" BENCH_WORKERS_JSON="${WORKERS_JSON}" \
    bench_py run_bench.py "${ODOO_CONF}" "${DB}" "${SIZE}" "${RESULTS}" "${README_ARG[@]}" \
    || die "The benchmark failed (log: ${LOG_DIR}/bench-run.log)."
say "Figures written to ${RESULTS}"
