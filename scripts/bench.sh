#!/usr/bin/env bash
# `make bench`: builds (or reuses) the benchmark database, then times the collection run on it.
# SIZE=small builds a tenth of the data set. The database is rebuilt when the addon or the generator
# changed; the timings never change it (every measure is rolled back).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "${ROOT}/scripts/db.sh"

SIZE="${SIZE:-full}"
case "${SIZE}" in full|small) ;; *) die "SIZE must be full or small (got ${SIZE})." ;; esac
DB="recouvrement_bench_${SIZE}"
BENCH_DIR="${LOCAL}/bench"
mkdir -p "${BENCH_DIR}"

bash "${ROOT}/scripts/bootstrap.sh"

bench_hash() {
    { addon_hash; cat "${ROOT}"/scripts/bench/*.py "${ROOT}/scripts/db.sh"; date +%F; } | sha256sum | cut -c1-16
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

say "Timing the collection run (${SIZE}); every step is rolled back"
RESULTS="${BENCH_DIR}/results-${SIZE}.json"
README_ARG=()
[ "${SIZE}" = full ] && README_ARG=("${ROOT}/README.md")  # the README shows the full-size figures only
PYTHONPATH="${ODOO_SRC}:${ROOT}/scripts/bench" "${VENV}/bin/python" "${ROOT}/scripts/bench/run_bench.py" \
    "${ODOO_CONF}" "${DB}" "${SIZE}" "${RESULTS}" "${README_ARG[@]}" 2>>"${LOG_DIR}/bench-run.log" \
    || die "The benchmark failed (log: ${LOG_DIR}/bench-run.log)."
say "Figures written to ${RESULTS}"
