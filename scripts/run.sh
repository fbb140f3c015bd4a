#!/usr/bin/env bash
# `make run`: set up everything, build (or update) the demo database and serve it.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "${ROOT}/scripts/db.sh"
DB="${DB:-recouvrement_demo}"
HOST="${HOST:-127.0.0.1}"

port_free() {
    python3 - "$HOST" "$1" <<'PY'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind((sys.argv[1], int(sys.argv[2])))
except OSError:
    sys.exit(1)
PY
}

port_free "${PORT}" || die "Port ${PORT} is busy (another Odoo, or another program, listens on it).
Stop it, or choose another port:  PORT=8070 make run"

bash "${ROOT}/scripts/bootstrap.sh"

if ! db_exists "${DB}"; then
    build_demo_db "${DB}"
elif [ "$(cat "${LOCAL}/${DB}.addon-hash" 2>/dev/null)" != "$(addon_hash)" ]; then
    say "The addon changed: updating ${ADDON} in ${DB}"
    odoo_checked "${DB}" "${LOG_DIR}/update-${DB}.log" -u "${ADDON}"
    if [ "$(psql -XtAc "SELECT state FROM ir_module_module WHERE name = '${SMS_BRIDGE}'" "${DB}")" != installed ]; then
        # a database built before the SMS bridge existed: Odoo's sms is there already, so it did not come by itself
        say "Installing ${SMS_BRIDGE} in ${DB}"
        odoo_checked "${DB}" "${LOG_DIR}/update-${DB}.log" -i "${SMS_BRIDGE}"
    else
        odoo_checked "${DB}" "${LOG_DIR}/update-${DB}.log" -u "${SMS_BRIDGE}"
    fi
    addon_hash > "${LOCAL}/${DB}.addon-hash"
fi

cat >&2 <<MSG

  Recouvrement de créances is served on  http://localhost:${PORT}/odoo
  Database: ${DB}    Login: admin    Password: admin
  Menu: Comptabilité > Recouvrement.   Stop with Ctrl+C.

MSG
exec env PYTHONPATH="${ODOO_SRC}" "${VENV}/bin/python" -m odoo -c "${ODOO_CONF}" -d "${DB}" \
    --db-filter="^${DB}\$" --http-interface="${HOST}" --http-port="${PORT}" --logfile="${LOG_DIR}/server.log"
