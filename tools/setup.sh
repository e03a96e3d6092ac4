#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian 12 machine; each step is skipped when done.
#   tools/setup.sh [STEP...]   steps: system odoo venv postgres link browser axe (default: all)
set -euo pipefail
source "$(dirname "$0")/common.sh"

APT_UPDATED=
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || die "missing system packages: ${missing[*]} (no apt-get here)"
  say "Installing Debian packages: ${missing[*]}"
  if [ -z "$APT_UPDATED" ]; then
    as_root apt-get update -qq || die "cannot run apt-get as root; install: ${missing[*]}"
    APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null || die "apt-get install ${missing[*]} failed"
}

step_system() {
  local pkgs=(git libpq-dev postgresql-client)
  pg_is_external || pkgs+=(postgresql)
  "$PYTHON_BIN" -c 'import ensurepip, venv' 2>/dev/null || pkgs+=(python3-venv)
  apt_install "${pkgs[@]}"
}

step_odoo() {
  if is_odoo_18_tree "$ODOO_PATH"; then return 0; fi
  if [ "$ODOO_PATH" != "$DEFAULT_ODOO_PATH" ]; then
    die "ODOO_PATH=$ODOO_PATH is not an Odoo 18.0 source tree (no odoo-bin or wrong version)"
  fi
  if [ -d "$ODOO_PATH" ] && [ -n "$(ls -A "$ODOO_PATH" 2>/dev/null)" ]; then
    die "$ODOO_PATH exists but is not an Odoo 18.0 source tree: remove it or set ODOO_PATH"
  fi
  say "Cloning Odoo 18.0 into $ODOO_PATH"
  mkdir -p "$(dirname "$ODOO_PATH")"
  git clone --quiet --depth 1 --branch 18.0 "$ODOO_REPO_URL" "$ODOO_PATH.part"
  mv "$ODOO_PATH.part" "$ODOO_PATH"
}

step_venv() {
  [ -f "$VENV_DIR/.complete" ] && return 0
  say "Building the virtual environment $VENV_DIR"
  rm -rf "$VENV_DIR"
  "$PYTHON_BIN" -m venv "$VENV_DIR"
  "$VENV_PY" -m pip install -q --upgrade "pip>=25.3"
  # python-ldap is only used by auth_ldap, which this addon does not need.
  grep -v '^python-ldap' "$ODOO_PATH/requirements.txt" >"$VENV_DIR/odoo-requirements.txt"
  "$VENV_PY" -m pip install -q --build-constraint "$REPO_ROOT/tools/build-constraints.txt" \
    -r "$VENV_DIR/odoo-requirements.txt" -r "$REPO_ROOT/tools/requirements-dev.txt"
  "$VENV_PY" -m pip install -q --no-deps -r "$REPO_ROOT/tools/requirements-nodeps.txt"
  touch "$VENV_DIR/.complete"
}

start_local_cluster() {
  command -v pg_lsclusters >/dev/null || die "PostgreSQL is not installed (apt-get install postgresql)"
  local version name status
  while read -r version name _ status _; do
    case "$status" in online*) ;; *)
      say "Starting PostgreSQL cluster $version/$name"
      as_root pg_ctlcluster "$version" "$name" start || die "cannot start cluster $version/$name"
    esac
  done < <(pg_lsclusters --no-header)
}

step_postgres() {
  pg_ready && return 0
  if pg_is_external; then
    die "PostgreSQL named by PG* variables is not reachable (PGHOST=${PGHOST:-} PGPORT=${PGPORT:-} PGUSER=${PGUSER:-})"
  fi
  start_local_cluster
  for _ in $(seq 20); do pg_isready -q && break; sleep 0.5; done
  pg_ready && return 0
  local me; me=$(id -un)
  say "Creating PostgreSQL superuser role '$me'"
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- createuser --superuser "$me" 2>/dev/null || true
  else
    sudo -n -u postgres createuser --superuser "$me" 2>/dev/null ||
      die "cannot create a PostgreSQL role for $me: run 'sudo -u postgres createuser -s $me'"
  fi
  pg_ready || die "PostgreSQL is running but user $me cannot connect"
}

step_link() {
  # A wheel left installed by an interrupted wheel check would shadow the checkout.
  if "$VENV_PY" -m pip show -q odoo-addon-care_network >/dev/null 2>&1; then
    "$VENV_PY" -m pip uninstall -q -y odoo-addon-care_network
  fi
  mkdir -p "$ADDONS_LINK_DIR"
  ln -sfn "$REPO_ROOT" "$ADDONS_LINK_DIR/care_network"
  # Lets pytest-odoo and `python -c "import odoo"` find the Odoo source.
  local site; site=$("$VENV_PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
  printf '%s\n' "$ODOO_PATH" >"$site/care_network_odoo_src.pth"
}

step_browser() {
  # Chromium runs the tours; wkhtmltopdf prints Odoo's PDF reports.
  apt_install chromium
  apt_install wkhtmltopdf
  "$VENV_PY" -c 'import websocket' 2>/dev/null || die "websocket-client missing from $VENV_DIR"
}

step_axe() {
  # axe-core, pinned by tools/package.json and its lock, checks the pages'
  # accessibility in the tests (CARE_AXE_JS); kept in the cache, never shipped.
  local dir=$CACHE_DIR/node-tools
  if cmp -s "$REPO_ROOT/tools/package-lock.json" "$dir/package-lock.json" &&
    [ -f "$dir/node_modules/axe-core/axe.min.js" ]; then
    return 0
  fi
  command -v npm >/dev/null || apt_install nodejs npm
  say "Installing axe-core into $dir"
  mkdir -p "$dir"
  cp "$REPO_ROOT/tools/package.json" "$REPO_ROOT/tools/package-lock.json" "$dir/"
  (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) ||
    die "npm ci failed in $dir"
}

step_pdftools() {
  # make screenshots turns a printed report into a picture.
  apt_install poppler-utils
}

steps=("$@")
[ ${#steps[@]} -eq 0 ] && steps=(system odoo venv postgres link browser axe)
for s in "${steps[@]}"; do "step_$s"; done
