#!/usr/bin/env bash
# `make test`: set up if needed, build a throw-away test database (installing the addon is a
# checked step), check that the addon also installs without the French chart, then run every test
# (Python and Chromium tours) with pytest-odoo. Fails on a failed, errored or skipped test, and on
# any ERROR/CRITICAL line in Odoo's log.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "${ROOT}/scripts/db.sh"
source "${ROOT}/scripts/upgrade_check.sh"

bash "${ROOT}/scripts/bootstrap.sh"

RUN_ID="$(date +%Y%m%d%H%M%S)_$$"
TEST_DB="recouvrement_test_${RUN_ID}"
BARE_DB="recouvrement_bare_${RUN_ID}"
TEST_LOG="${LOG_DIR}/test-${RUN_ID}.log"
JUNIT="${LOG_DIR}/test-${RUN_ID}.xml"
JUNIT_SALE="${LOG_DIR}/test-sale-${RUN_ID}.xml"
JUNIT_ODOO="${LOG_DIR}/test-odoo-${RUN_ID}.xml"
JUNIT_ODOO_SALE="${LOG_DIR}/test-odoo-sale-${RUN_ID}.xml"
# Odoo's own test files for what the addon extends: invoices (posting, credit notes, the invoice report and its
# sending, the portal), payments and their registration, reconciliation, customers; sale's credit limit and
# invoicing.
ODOO_ACCOUNT_TESTS=(
    account/tests/test_account_move_out_invoice.py
    account/tests/test_account_move_out_refund.py
    account/tests/test_account_move_reconcile.py
    account/tests/test_account_payment_register.py
    account/tests/test_account_payment_method_line.py
    account/tests/test_account_move_payments_widget.py
    account/tests/test_account_invoice_report.py
    account/tests/test_ir_actions_report.py
    account/tests/test_account_move_send.py
    account/tests/test_portal_invoice.py
    account/tests/test_account_partner.py
)
ODOO_SALE_TESTS=(
    sale/tests/test_credit_limit.py
    sale/tests/test_sale_to_invoice.py
)
# needs Odoo Enterprise's account_accountant (it skips itself without it)
ODOO_ENTERPRISE_ONLY="test_partial_invoicing_interaction_with_invoicing_switch_threshold"

cleanup() {
    local db
    for db in "${TEST_DB}" "${TEST_DB}_building" "${BARE_DB}"; do
        dropdb --if-exists "${db}" 2>/dev/null || true
        rm -rf "${DATA_DIR}/filestore/${db}"
    done
    rm -f "${LOCAL}/${TEST_DB}.addon-hash"
    upgrade_cleanup
}
trap cleanup EXIT

# 1. The addon installs on a database with only `account` (no French chart); installing `sale` then
#    brings its sale bridge, whose tests run there.
say "Checking that ${ADDON} installs with only 'account' (no French chart)"
odoo_checked "${BARE_DB}" "${LOG_DIR}/install-bare-${RUN_ID}.log" -i account
odoo_checked "${BARE_DB}" "${LOG_DIR}/install-bare-${RUN_ID}.log" -i "${ADDON}"
bare_state="$(psql -XtAc "SELECT string_agg(name || '=' || state, ',' ORDER BY name) FROM ir_module_module
    WHERE name IN ('${ADDON}', 'l10n_fr_account')" "${BARE_DB}")"
[ "${bare_state}" = "l10n_fr_account=uninstalled,${ADDON}=installed" ] \
    || die "Unexpected module states on the bare database: ${bare_state}"
odoo_checked "${BARE_DB}" "${LOG_DIR}/install-bare-${RUN_ID}.log" -i sale
bridge_state="$(psql -XtAc "SELECT state FROM ir_module_module WHERE name = '${SALE_BRIDGE}'" "${BARE_DB}")"
[ "${bridge_state}" = installed ] || die "${SALE_BRIDGE} was not installed with sale (state: ${bridge_state})."

# 2. A database built with an earlier version of the addon keeps its data when updated to this one.
UPGRADE_DB="recouvrement_upgrade_${RUN_ID}"
upgrade_check

# 3. The test database: like the demo one (French SARL, French chart, addon with demo data).
build_demo_db "${TEST_DB}"

# 3b. An addon that adds a channel of its own (a fax), proving the core lists none.
odoo_checked "${TEST_DB}" "${LOG_DIR}/install-channel-${RUN_ID}.log" -i test_recouvrement_channel

# 4. Every test, tours included, in real Chromium.
say "Running the tests (pytest-odoo, tours in Chromium)"
sed "s|^data_dir = .*|&\nlogfile = ${TEST_LOG}|" "${ODOO_CONF}" > "${LOCAL}/odoo-test.conf"
set +e
PYTHONPATH="${ODOO_SRC}" "${VENV}/bin/python" -m pytest -p no:cacheprovider -q -rfEs -W ignore::DeprecationWarning \
    --odoo-config="${LOCAL}/odoo-test.conf" --odoo-database="${BARE_DB}" \
    --junitxml="${JUNIT_SALE}" "${ROOT}/${SALE_BRIDGE}/tests"
sale_rc=$?
PYTHONPATH="${ODOO_SRC}" "${VENV}/bin/python" -m pytest -p no:cacheprovider -q -rfEs -W ignore::DeprecationWarning \
    --odoo-config="${LOCAL}/odoo-test.conf" --odoo-database="${TEST_DB}" --odoo-http \
    --junitxml="${JUNIT}" "${ROOT}/${ADDON}/tests" "${ROOT}/${SMS_BRIDGE}/tests" "${ROOT}/test_recouvrement_channel/tests"
pytest_rc=$?

# 5. Odoo's own tests of what the addon extends, run with the addon installed (the list is in the README): a
#    failure there is a regression of the addon. They run on the database with the addon, its bridges and sale,
#    in English: Odoo's tests expect English names (INV/…, "installment #1"), which a French database renames.
say "Running Odoo's own tests of what the addon extends"
odoo_tests() {  # JUNIT TEST_FILE...
    local junit="$1"; shift
    PYTHONPATH="${ODOO_SRC}" "${VENV}/bin/python" -m pytest -p no:cacheprovider -q -rfEs -W ignore::DeprecationWarning \
        --odoo-config="${LOCAL}/odoo-test.conf" --odoo-database="${BARE_DB}" --odoo-http \
        -k "not ${ODOO_ENTERPRISE_ONLY}" --junitxml="${junit}" "${@/#/${ODOO_ADDONS}/}"
}
odoo_tests "${JUNIT_ODOO}" "${ODOO_ACCOUNT_TESTS[@]}"
odoo_account_rc=$?
odoo_tests "${JUNIT_ODOO_SALE}" "${ODOO_SALE_TESTS[@]}"
odoo_sale_rc=$?
set -e

junit_sums() {  # JUNIT...: total failed errors skipped
    "${VENV}/bin/python" - "$@" <<'PY'
import sys
import xml.etree.ElementTree as ET
sums = [0, 0, 0, 0]
for path in sys.argv[1:]:
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        sums[2] += 1
        continue
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    for index, key in enumerate(("tests", "failures", "errors", "skipped")):
        sums[index] += sum(int(s.get(key, 0)) for s in suites)
print(*sums)
PY
}
read -r total failed errors skipped < <(junit_sums "${JUNIT}" "${JUNIT_SALE}" "${JUNIT_ODOO}" "${JUNIT_ODOO_SALE}")
read -r odoo_total odoo_failed odoo_errors odoo_skipped < <(junit_sums "${JUNIT_ODOO}" "${JUNIT_ODOO_SALE}")
passed=$(( total - failed - errors - skipped ))
log_errors="$(grep -cE '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "${TEST_LOG}" 2>/dev/null || true)"

status=0
[ "${pytest_rc}" -eq 0 ] || { warn "pytest exited with ${pytest_rc}."; status=1; }
[ "${sale_rc}" -eq 0 ] || { warn "pytest of ${SALE_BRIDGE} exited with ${sale_rc}."; status=1; }
[ "${odoo_account_rc}" -eq 0 ] || { warn "Odoo's own accounting tests exited with ${odoo_account_rc}."; status=1; }
[ "${odoo_sale_rc}" -eq 0 ] || { warn "Odoo's own sale tests exited with ${odoo_sale_rc}."; status=1; }
[ "${odoo_total}" -gt 0 ] || { warn "None of Odoo's own tests ran."; status=1; }
say "Odoo's own tests, with the addon installed: $(( odoo_total - odoo_failed - odoo_errors - odoo_skipped )) passed, $(( odoo_failed + odoo_errors )) failed, ${odoo_skipped} skipped (of ${odoo_total})"
[ "${total}" -gt 0 ] || { warn "No test ran."; status=1; }
[ "${skipped}" -eq 0 ] || { warn "${skipped} test(s) skipped: a skipped test proves nothing (browser missing?)."; status=1; }
if [ "${log_errors:-0}" -gt 0 ]; then
    warn "${log_errors} ERROR/CRITICAL line(s) in Odoo's log (${TEST_LOG}):"
    grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "${TEST_LOG}" | head -n 20 >&2
    status=1
fi
echo "${passed} passed, $(( failed + errors )) failed, ${skipped} skipped"
exit "${status}"
