#!/usr/bin/env bash
# Checks that a database built with an earlier version of the addon keeps its data when the addon is updated to
# this one (its migration scripts): sourced by test.sh, or run alone. UPGRADE_FROM is the earlier version's commit
# (default: the last commit of 19.0.1.4.0, before the migrations of this repository).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "${ROOT}/scripts/db.sh"
UPGRADE_FROM="${UPGRADE_FROM:-54da478}"
UPGRADE_DB="${UPGRADE_DB:-recouvrement_upgrade_$(date +%Y%m%d%H%M%S)_$$}"
OLD_TREE="${LOCAL}/upgrade-from"
OLD_CONF="${LOCAL}/odoo-upgrade-from.conf"

upgrade_cleanup() {
    dropdb --if-exists "${UPGRADE_DB}" 2>/dev/null || true
    rm -rf "${DATA_DIR}/filestore/${UPGRADE_DB}" "${LOCAL}/${UPGRADE_DB}.addon-hash"
    git -C "${ROOT}" worktree remove --force "${OLD_TREE}" 2>/dev/null || rm -rf "${OLD_TREE}"
}

upgrade_check() {
    upgrade_cleanup
    git -C "${ROOT}" cat-file -e "${UPGRADE_FROM}^{commit}" 2>/dev/null \
        || die "Commit ${UPGRADE_FROM} (the earlier version) is not in this clone's history: clone with history."
    git -C "${ROOT}" worktree add --detach "${OLD_TREE}" "${UPGRADE_FROM}" >/dev/null 2>&1 \
        || die "Could not check out ${UPGRADE_FROM} into ${OLD_TREE}."
    sed "s|^addons_path = \(.*\),${ROOT}\$|addons_path = \1,${OLD_TREE}|" "${ODOO_CONF}" > "${OLD_CONF}"
    grep -q "${OLD_TREE}" "${OLD_CONF}" || die "Could not point ${OLD_CONF} at ${OLD_TREE}."
    say "Building ${UPGRADE_DB} with the addon of ${UPGRADE_FROM} ($(grep -o '"version": "[^"]*"' "${OLD_TREE}/${ADDON}/__manifest__.py"))"
    ODOO_CONF="${OLD_CONF}" build_demo_db "${UPGRADE_DB}"
    # values an earlier version kept, that the update must keep
    psql -XqAc "UPDATE res_company SET recouvrement_legal_form = 'SAS au capital de 10 000 €', recouvrement_agency_rate = 12.5
                 WHERE id = (SELECT MIN(id) FROM res_company);
                UPDATE res_partner SET collection_block_reason = 'Litige en cours', collection_block_until = '2030-06-30'
                 WHERE id = (SELECT MIN(id) FROM res_partner WHERE is_company AND company_id IS NULL AND name LIKE 'Boulangerie%');" \
        "${UPGRADE_DB}"
    local executed
    executed="$(psql -XtAc "SELECT COUNT(*) FROM recouvrement_action WHERE state IN ('pending', 'done', 'failed')" "${UPGRADE_DB}")"
    say "Updating ${UPGRADE_DB} to this version"
    odoo_checked "${UPGRADE_DB}" "${LOG_DIR}/upgrade-${UPGRADE_DB}.log" -u "${ADDON}"
    PYTHONPATH="${ODOO_SRC}" "${VENV}/bin/python" "${ROOT}/scripts/upgrade_check.py" "${ODOO_CONF}" "${UPGRADE_DB}" "${executed}" \
        2>>"${LOG_DIR}/upgrade-${UPGRADE_DB}.log" || die "The updated database lost data (log: ${LOG_DIR}/upgrade-${UPGRADE_DB}.log)."
    upgrade_cleanup
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    bash "${ROOT}/scripts/bootstrap.sh"
    trap upgrade_cleanup EXIT
    upgrade_check
fi
