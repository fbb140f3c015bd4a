#!/usr/bin/env bash
# `make guarantees`: measures the run's guarantees (exactly once under concurrency, a reminder that counts once
# it has left, never milder, refusal of a missing rate) on a throw-away copy of the demo database.
# DEBTORS=330 by default. The database is dropped afterwards unless KEEP=1.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "${ROOT}/scripts/db.sh"
DB="recouvrement_guarantees"
DEBTORS="${DEBTORS:-330}"
bash "${ROOT}/scripts/bootstrap.sh"
build_demo_db "${DB}"
[ "${KEEP:-0}" = 1 ] || trap 'dropdb --if-exists "${DB}"; rm -rf "${DATA_DIR}/filestore/${DB}" "${LOCAL}/${DB}.addon-hash"' EXIT
say "Measuring on ${DB} with ${DEBTORS} more debtors (commits on this copy only)"
PYTHONPATH="${ODOO_SRC}" "${VENV}/bin/python" "${ROOT}/scripts/guarantees/measure.py" \
    "${ODOO_CONF}" "${DB}" "${DEBTORS}" 2>>"${LOG_DIR}/guarantees.log" \
    || die "The measure failed (log: ${LOG_DIR}/guarantees.log)."
