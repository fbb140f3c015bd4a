#!/usr/bin/env bash
# `make lint`: ruff (format check and lint), pylint-odoo, and a complete French translation.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bash "${ROOT}/scripts/bootstrap.sh"
cd "${ROOT}"
status=0
say "ruff format --check"
"${VENV}/bin/ruff" format --check . || status=1
say "ruff check"
"${VENV}/bin/ruff" check . || status=1
say "pylint-odoo"
PYTHONPATH="${ODOO_SRC}" "${VENV}/bin/pylint" --rcfile=.pylintrc "${ADDON}" "${SALE_BRIDGE}" "${SMS_BRIDGE}" test_recouvrement_channel || status=1
say "French translation complete"
for addon in "${ADDON}" "${SALE_BRIDGE}" "${SMS_BRIDGE}"; do
    "${VENV}/bin/python" scripts/i18n.py check "${addon}/i18n/${addon}.pot" "${addon}/i18n/fr.po" || status=1
done
[ "${status}" -eq 0 ] && say "lint: all clean" || die "lint: problems found (see above)."
