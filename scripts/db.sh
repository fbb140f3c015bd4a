#!/usr/bin/env bash
# Builds a database like the demo one: a French SARL with the French chart of accounts and
# the addon installed with its demo data. Sourced by run.sh and test.sh.

# Run Odoo once on a database, logging to a file, and fail on any ERROR/CRITICAL line.
odoo_checked() {
    local db="$1" log="$2"; shift 2
    if ! odoo -c "${ODOO_CONF}" -d "${db}" --stop-after-init --logfile="${log}" "$@"; then
        tail -n 30 "${log}" >&2
        die "Odoo stopped with an error on database ${db} (log: ${log})."
    fi
    if grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "${log}" >&2; then
        die "Odoo logged errors on database ${db} (log: ${log})."
    fi
}

# build_demo_db NAME [nodemo]: builds into NAME_building, then renames it: a half-built database is
# never used. With "nodemo", the addon is installed without its demo data (the benchmark's base).
build_demo_db() {
    local db="$1" demo="${2:-demo}" tmp="$1_building" log="${LOG_DIR}/build-$1.log"
    : > "${log}"
    dropdb --if-exists "${tmp}" 2>/dev/null
    rm -rf "${DATA_DIR}/filestore/${tmp}"
    say "Creating database ${db}: base and French language"
    odoo_checked "${tmp}" "${log}" -i base --load-language=fr_FR
    say "Configuring the company (Rhône Équipements Pro SARL, Lyon)"
    RECOUVREMENT_ROOT="${ROOT}" odoo shell -c "${ODOO_CONF}" -d "${tmp}" --no-http --logfile="${log}" \
        < "${ROOT}/scripts/demo/company.py" >/dev/null || die "Configuring the demo company failed (log: ${log})."
    say "Installing the French chart of accounts (l10n_fr_account)"
    odoo_checked "${tmp}" "${log}" -i l10n_fr_account
    [ "$(psql -XtAc "SELECT chart_template FROM res_company WHERE id = 1" "${tmp}")" = fr ] \
        || die "The French chart of accounts was not loaded on the demo company (log: ${log})."
    if [ "${demo}" = demo ]; then
        # Odoo's stock demo data is left out (it would put its own generic chart and customers on the
        # company). Marking the addon's dependencies as demo-enabled makes Odoo load the addon's demo.
        psql -XqAc "UPDATE ir_module_module SET demo = TRUE WHERE name IN (
            SELECT d.name FROM ir_module_module_dependency d JOIN ir_module_module m ON m.id = d.module_id
            WHERE m.name = '${ADDON}')" "${tmp}"
        say "Installing ${ADDON} with its demo data"
    else
        say "Installing ${ADDON} without demo data"
    fi
    odoo_checked "${tmp}" "${log}" -i "${ADDON}"
    if [ "${demo}" = demo ]; then
        # the debtors pay online with Odoo's demo payment provider (test mode, no real money)
        say "Installing the demo payment provider (payment_demo)"
        odoo_checked "${tmp}" "${log}" -i payment_demo
    fi
    # Odoo's sms comes with mail, and the SMS bridge with the addon (its demo SMS stays queued, then in error: no
    # IAP from here); an earlier version of the addon (the upgrade check) has no SMS bridge
    case "$(psql -XtAc "SELECT state FROM ir_module_module WHERE name = '${SMS_BRIDGE}'" "${tmp}")" in
        installed|"") ;;
        *) die "${SMS_BRIDGE} was not installed with ${ADDON} and sms (log: ${log})." ;;
    esac
    [ "$(psql -XtAc "SELECT demo FROM ir_module_module WHERE name = '${ADDON}'" "${tmp}")" \
        = "$([ "${demo}" = demo ] && echo t || echo f)" ] \
        || die "The demo data of ${ADDON} is not as asked (${demo}) (log: ${log})."
    dropdb --if-exists "${db}" 2>/dev/null
    rm -rf "${DATA_DIR}/filestore/${db}"
    psql -XqAc "ALTER DATABASE \"${tmp}\" RENAME TO \"${db}\"" postgres
    [ -d "${DATA_DIR}/filestore/${tmp}" ] && mv "${DATA_DIR}/filestore/${tmp}" "${DATA_DIR}/filestore/${db}"
    addon_hash > "${LOCAL}/${db}.addon-hash"
}
