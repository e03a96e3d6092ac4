# shellcheck shell=bash
# Shared paths and helpers for the care_network developer scripts.
# Sourced, never executed. Everything cached lives outside the clone.

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE_DIR=${CARE_NETWORK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/care_network}
DEFAULT_ODOO_PATH=$CACHE_DIR/odoo-18.0
ODOO_PATH=${ODOO_PATH:-$DEFAULT_ODOO_PATH}
ODOO_REPO_URL=${ODOO_REPO_URL:-https://github.com/odoo/odoo.git}
PYTHON_BIN=${PYTHON_BIN:-$(command -v python3.11 || command -v python3)}
DEMO_DB=${DEMO_DB:-care_network_demo}
TEST_DB=${TEST_DB:-care_network_test}
HTTP_PORT=${HTTP_PORT:-8069}
# The checkout is linked into an addons folder under the addon's technical name.
ADDONS_LINK_DIR=$CACHE_DIR/addons-$(printf '%s' "$REPO_ROOT" | sha1sum | cut -c1-10)

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

is_odoo_18_tree() {
  [ -f "$1/odoo-bin" ] && [ -f "$1/odoo/release.py" ] &&
    grep -q "^version_info = (18, 0," "$1/odoo/release.py"
}

# The virtual environment is keyed by everything it is built from.
venv_key() {
  {
    "$PYTHON_BIN" -c 'import sys; print(sys.version)'
    cat "$ODOO_PATH/requirements.txt" 2>/dev/null
    cat "$REPO_ROOT/tools/requirements-dev.txt" "$REPO_ROOT/test-requirements.txt" \
      "$REPO_ROOT/tools/build-constraints.txt" \
      "$REPO_ROOT/tools/requirements-nodeps.txt"
  } | sha256sum | cut -c1-12
}
VENV_DIR=${VENV_DIR:-$CACHE_DIR/venv-$(venv_key)}
VENV_PY=$VENV_DIR/bin/python

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo -n "$@"
  else return 1
  fi
}

# Uses the server named by the PG* variables when any is set, else the local cluster.
pg_is_external() { [ -n "${PGHOST:-}${PGPORT:-}${PGUSER:-}${PGSERVICE:-}" ]; }
pg_ready() { psql -d postgres -XAtqc 'select 1' >/dev/null 2>&1; }

odoo_bin() {
  "$VENV_PY" "$ODOO_PATH/odoo-bin" \
    --addons-path="$ODOO_PATH/addons,$ODOO_PATH/odoo/addons,$ADDONS_LINK_DIR" \
    --data-dir="$CACHE_DIR/data" "$@"
}

# Create the demo database with demo data, or upgrade the addon in it.
ensure_demo_db() {
  if psql -d postgres -XAtqc "select 1 from pg_database where datname='$DEMO_DB'" | grep -q 1; then
    say "Upgrading care_network in $DEMO_DB"
    odoo_bin -d "$DEMO_DB" -u care_network --stop-after-init --http-port="$HTTP_PORT" --log-level=warn
  else
    say "Creating $DEMO_DB with demo data"
    odoo_bin -d "$DEMO_DB" -i care_network --stop-after-init --http-port="$HTTP_PORT" --log-level=warn
  fi
}
