#!/usr/bin/env bash
# Shared helpers for the project's scripts. Sourced, never run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="${ROOT}/.local"                     # everything generated lives here (git-ignored)
ODOO_PREFIX="${LOCAL}/odoo19"              # unpacked Debian odoo-19 package
ODOO_SRC="${ODOO_PREFIX}/usr/lib/python3/dist-packages"
ODOO_ADDONS="${ODOO_SRC}/odoo/addons"
VENV="${LOCAL}/venv"
DATA_DIR="${LOCAL}/data"
LOG_DIR="${LOCAL}/logs"
ODOO_CONF="${LOCAL}/odoo.conf"
PORT="${PORT:-8069}"
ADDON=recouvrement_creances
SALE_BRIDGE=recouvrement_creances_sale  # auto-installed with sale
SMS_BRIDGE=recouvrement_creances_sms    # auto-installed with sms

say()  { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
warn() { printf '\033[1;33mwarning:\033[0m %s\n' "$*" >&2; }
die()  { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# Run a command as root: directly when root, through sudo otherwise.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo "$@"
    elif command -v sudo >/dev/null 2>&1 && [ -t 0 ]; then sudo "$@"
    else return 126
    fi
}

can_be_root() {
    [ "$(id -u)" -eq 0 ] && return 0
    command -v sudo >/dev/null 2>&1 || return 1
    sudo -n true 2>/dev/null || [ -t 0 ]
}

# Odoo run with the project's interpreter, config and addons path.
odoo() {
    PYTHONPATH="${ODOO_SRC}${PYTHONPATH:+:${PYTHONPATH}}" \
        "${VENV}/bin/python" -m odoo "$@"
}

# A hash of the addon's source: used to decide whether a database needs an update.
addon_hash() {
    (cd "${ROOT}" && find "${ADDON}" "${SALE_BRIDGE}" "${SMS_BRIDGE}" -type f ! -name '*.pyc' -print0 | sort -z \
        | xargs -0 sha256sum | sha256sum | cut -c1-16)
}

db_exists() {
    psql -XtAc "SELECT 1 FROM pg_database WHERE datname = '$1'" postgres 2>/dev/null | grep -q 1
}
