#!/usr/bin/env bash
# `make i18n`: updates the addon in the demo database, exports its .pot and merges it into fr.po.
# Lists every msgid that still needs a French translation.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "${ROOT}/scripts/db.sh"
DB="${DB:-recouvrement_demo}"
I18N="${ROOT}/${ADDON}/i18n"
db_exists "${DB}" || die "No database ${DB}: run 'make run' once first."
odoo_checked "${DB}" "${LOG_DIR}/i18n.log" -u "${ADDON}"
addon_hash > "${LOCAL}/${DB}.addon-hash"
odoo i18n export -c "${ODOO_CONF}" -d "${DB}" "${ADDON}" -o "${I18N}/${ADDON}.pot" 2>>"${LOG_DIR}/i18n.log"
[ -f "${I18N}/fr.po" ] || cp "${I18N}/${ADDON}.pot" "${I18N}/fr.po"
"${VENV}/bin/python" "${ROOT}/scripts/i18n.py" merge "${I18N}/${ADDON}.pot" "${I18N}/fr.po"
