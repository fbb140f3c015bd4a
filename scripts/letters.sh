#!/usr/bin/env bash
# `make letters`: renders a first reminder, the demo's mise en demeure, a statement of account and a payment
# plan agreement from the demo database to .local/letters/ (PDF, and PNG pages made with pdftoppm).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "${ROOT}/scripts/db.sh"
DB="${DB:-recouvrement_demo}"
OUT="${LOCAL}/letters"

bash "${ROOT}/scripts/bootstrap.sh"
db_exists "${DB}" || build_demo_db "${DB}"
rm -rf "${OUT}"
PYTHONPATH="${ODOO_SRC}:${ROOT}/scripts/bench" "${VENV}/bin/python" "${ROOT}/scripts/demo/render_letters.py" \
    "${ODOO_CONF}" "${DB}" "${OUT}" 2>>"${LOG_DIR}/letters.log" \
    || die "Rendering the letters failed (log: ${LOG_DIR}/letters.log)."
say "Documents and their pages in ${OUT}:"
ls "${OUT}"
