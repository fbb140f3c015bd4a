#!/usr/bin/env bash
# `make i18n`: updates the addon in the demo database (its sale bridge in a database with sale), exports
# their .pot and merges them into their fr.po. Lists every msgid that still needs a French translation.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "${ROOT}/scripts/db.sh"
DB="${DB:-recouvrement_demo}"
SALE_DB="${DB}_sale"
db_exists "${DB}" || die "No database ${DB}: run 'make run' once first."
odoo_checked "${DB}" "${LOG_DIR}/i18n.log" -u "${ADDON},${SMS_BRIDGE}"
addon_hash > "${LOCAL}/${DB}.addon-hash"
if db_exists "${SALE_DB}"; then
    odoo_checked "${SALE_DB}" "${LOG_DIR}/i18n.log" -u "${ADDON},${SALE_BRIDGE}"
else
    odoo_checked "${SALE_DB}" "${LOG_DIR}/i18n.log" -i "sale,${ADDON}"
fi
export_merge() {  # DB ADDON
    local i18n="${ROOT}/$2/i18n"
    mkdir -p "${i18n}"
    odoo i18n export -c "${ODOO_CONF}" -d "$1" "$2" -o "${i18n}/$2.pot" 2>>"${LOG_DIR}/i18n.log"
    [ -f "${i18n}/fr.po" ] || cp "${i18n}/$2.pot" "${i18n}/fr.po"
    "${VENV}/bin/python" "${ROOT}/scripts/i18n.py" merge "${i18n}/$2.pot" "${i18n}/fr.po"
}
export_merge "${DB}" "${ADDON}"
export_merge "${SALE_DB}" "${SALE_BRIDGE}"
export_merge "${DB}" "${SMS_BRIDGE}"  # the demo database has sms, hence its bridge
