#!/usr/bin/env bash
# Installs what the product needs, idempotently: system packages, PostgreSQL, Odoo 19 (from
# Debian's odoo-19 package, unpacked into .local/), a virtualenv with the pinned requirements,
# and the Odoo configuration file. Every step checks first and does nothing when already done.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PYTHON="${PYTHON:-python3}"
ODOO_DEB_VERSION_WANTED="odoo-19"
# Packages whose files Debian's odoo-19 links to (fonts, JS libraries): unpacked beside Odoo.
ODOO_LINKED_PKGS_STABLE="fonts-roboto-unhinted fonts-font-awesome libjs-jquery libjs-jquery-form
    libjs-underscore fonts-inconsolata fonts-ocr-b fonts-glyphicons-halflings"
ODOO_LINKED_PKGS_SID="fonts-montserrat"
SYSTEM_PKGS="wkhtmltopdf fonts-dejavu-core fonts-liberation2 chromium poppler-utils"

check_platform() {
    [ -r /etc/os-release ] || die "Unsupported system: /etc/os-release is missing. This project needs Debian 12 (bookworm)."
    # shellcheck disable=SC1091
    . /etc/os-release
    command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null \
        || die "Unsupported system '${PRETTY_NAME:-unknown}': apt-get and dpkg-deb are needed (Debian 12 bookworm)."
    if [ "${ID:-}" != debian ] || [ "${VERSION_ID:-}" != 12 ]; then
        warn "Tested on Debian 12 (bookworm); this is '${PRETTY_NAME:-unknown}'. Continuing."
    fi
    command -v "${PYTHON}" >/dev/null || die "No '${PYTHON}' found. Install Python 3.10 to 3.13 (apt-get install python3 python3-venv)."
    "${PYTHON}" - <<'PY' || die "Unsupported Python: $("${PYTHON}" --version 2>&1). Odoo 19 needs Python 3.10 to 3.13 (set PYTHON=/path/to/python3.x)."
import sys
sys.exit(0 if (3, 10) <= sys.version_info[:2] <= (3, 13) else 1)
PY
}

pg_reachable() { psql -XtAc 'SELECT 1' postgres >/dev/null 2>&1; }

missing_system_packages() {
    local pkgs="${SYSTEM_PKGS}" p
    if ! pg_reachable && ! command -v pg_ctlcluster >/dev/null; then pkgs="${pkgs} postgresql"; fi
    "${PYTHON}" -c 'import venv, ensurepip' 2>/dev/null || pkgs="${pkgs} python3-venv"
    for p in ${pkgs}; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || printf '%s ' "$p"
    done
}

install_system_packages() {
    local missing
    missing="$(missing_system_packages)"
    [ -z "${missing}" ] && return 0
    if ! can_be_root; then
        die "These system packages are missing and this user is neither root nor allowed to sudo:
    ${missing}
Ask an administrator to run:
    apt-get update && apt-get install -y ${missing}
then run this command again."
    fi
    say "Installing system packages: ${missing}"
    as_root apt-get update -qq || die "Step 'apt-get update' failed: the Debian package registry is unreachable."
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends ${missing} >/dev/null \
        || die "Step 'apt-get install ${missing}' failed (see the messages above)."
}

ensure_postgres() {
    if pg_reachable; then return 0; fi
    local how="psql as user '$(id -un)' (PGHOST=${PGHOST:-<local socket>}, PGPORT=${PGPORT:-5432})"
    if command -v pg_lsclusters >/dev/null; then
        local version cluster
        read -r version cluster _ < <(pg_lsclusters --no-header | head -n 1) || true
        if [ -n "${version:-}" ]; then
            say "Starting PostgreSQL ${version}/${cluster}"
            as_root pg_ctlcluster --skip-systemctl-redirect "${version}" "${cluster}" start 2>/dev/null || true
            sleep 2
        fi
    fi
    if ! pg_reachable && psql_as_postgres -XtAc 'SELECT 1' >/dev/null 2>&1; then
        say "Creating the PostgreSQL role '$(id -un)'"
        psql_as_postgres -XtAc "CREATE ROLE \"$(id -un)\" SUPERUSER LOGIN" >/dev/null
    fi
    pg_reachable || die "PostgreSQL is unreachable. Looked for it with ${how}, then tried to start a local
cluster (pg_lsclusters/pg_ctlcluster) and to create a role for this user. Start PostgreSQL >= 13, or
set PGHOST/PGPORT/PGUSER to a server where this user may create databases, and run again."
}

psql_as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then su postgres -c "psql $(printf '%q ' "$@") postgres"
    else sudo -n -u postgres psql "$@" postgres
    fi
}

# The Debian mirror this machine already uses, read from its own apt configuration.
debian_mirror() {
    local uri
    uri="$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' \
        | grep -v -- '-security' | head -n 1 || true)"
    if [ -z "${uri}" ]; then
        uri="$(grep -hE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
            | sed -E 's/^deb (\[[^]]*\] )?//' | awk '{print $1}' | grep -v -- '-security' | head -n 1 || true)"
    fi
    [ -n "${uri}" ] || die "No Debian mirror found in this machine's apt configuration (/etc/apt/sources.list*)."
    printf '%s' "${uri%/}"
}

fetch_odoo() {
    if [ -f "${ODOO_PREFIX}/.complete" ]; then return 0; fi
    say "Fetching Odoo 19 from Debian's ${ODOO_DEB_VERSION_WANTED} package"
    local apt_dir="${LOCAL}/apt" mirror keyring=/usr/share/keyrings/debian-archive-keyring.gpg
    mirror="$(debian_mirror)"
    [ -r "${keyring}" ] || die "Missing ${keyring} (package debian-archive-keyring)."
    rm -rf "${apt_dir}"
    mkdir -p "${apt_dir}/lists/partial" "${apt_dir}/cache/archives/partial" "${apt_dir}/debs"
    cat > "${apt_dir}/sources.list" <<SRC
deb [signed-by=${keyring}] ${mirror} bookworm main
deb [signed-by=${keyring}] ${mirror} sid main
SRC
    local -a apt_opts=(-o "Dir::Etc::SourceList=${apt_dir}/sources.list" -o Dir::Etc::SourceParts=/dev/null
        -o "Dir::State::Lists=${apt_dir}/lists" -o "Dir::Cache=${apt_dir}/cache"
        -o "Dir::State::status=/var/lib/dpkg/status" -o APT::Get::List-Cleanup=0 -qq)
    [ "$(id -u)" -eq 0 ] && apt_opts+=(-o APT::Sandbox::User=root)
    apt-get "${apt_opts[@]}" update \
        || die "Step 'download the Debian package index (bookworm + sid) from ${mirror}' failed: the registry is unreachable."
    local pkgs=("${ODOO_DEB_VERSION_WANTED}/sid") p
    for p in ${ODOO_LINKED_PKGS_SID}; do pkgs+=("${p}/sid"); done
    for p in ${ODOO_LINKED_PKGS_STABLE}; do pkgs+=("${p}/bookworm"); done
    (cd "${apt_dir}/debs" && apt-get "${apt_opts[@]}" download "${pkgs[@]}") \
        || die "Step 'download ${pkgs[*]}' failed: the Debian registry is unreachable or the package moved."
    # Unpack into a temporary folder and rename at the end: a half-unpacked Odoo is never used.
    local tmp="${ODOO_PREFIX}.partial"
    rm -rf "${tmp}"
    mkdir -p "${tmp}"
    for p in "${apt_dir}"/debs/*.deb; do dpkg-deb -x "$p" "${tmp}"; done
    # Debian removed this file but mail's asset bundle still lists it.
    local selfie="${tmp}/usr/lib/python3/dist-packages/odoo/addons/mail/static/lib/selfie_segmentation"
    mkdir -p "${selfie}" && : > "${selfie}/selfie_segmentation.js"
    local broken
    broken="$(find "${tmp}" -xtype l | head -n 5)"
    [ -z "${broken}" ] || die "The unpacked Odoo still has broken links, e.g.:
${broken}"
    basename "${apt_dir}"/debs/odoo-19_*.deb > "${tmp}/.complete"
    rm -rf "${ODOO_PREFIX}" && mv "${tmp}" "${ODOO_PREFIX}"
    rm -rf "${apt_dir}"
}

ensure_venv() {
    local stamp="${VENV}/.requirements.sha" want
    want="$(cat "${ROOT}/requirements.txt" <("${PYTHON}" --version) | sha256sum | cut -c1-16)"
    if [ -f "${stamp}" ] && [ "$(cat "${stamp}")" = "${want}" ]; then return 0; fi
    say "Creating the virtualenv with the pinned requirements"
    [ -x "${VENV}/bin/python" ] || "${PYTHON}" -m venv "${VENV}" \
        || die "Step 'python -m venv' failed (on Debian: apt-get install python3-venv)."
    "${VENV}/bin/pip" install -q --disable-pip-version-check -r "${ROOT}/requirements.txt" \
        || die "Step 'pip install -r requirements.txt' failed: PyPI is unreachable or a package did not build."
    echo "${want}" > "${stamp}"
}

write_config() {
    mkdir -p "${DATA_DIR}" "${LOG_DIR}"
    cat > "${ODOO_CONF}" <<CONF
[options]
addons_path = ${ODOO_ADDONS},${ROOT}
data_dir = ${DATA_DIR}
admin_passwd = admin
http_interface = 127.0.0.1
CONF
}

main() {
    check_platform
    install_system_packages
    ensure_postgres
    fetch_odoo
    ensure_venv
    command -v wkhtmltopdf >/dev/null || die "wkhtmltopdf is missing after setup."
    write_config
}

main "$@"
