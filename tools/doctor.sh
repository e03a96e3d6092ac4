#!/usr/bin/env bash
# `make doctor`: says whether what `make test` needs is here; exits non-zero naming what is not.
set -uo pipefail
source "$(dirname "$0")/common.sh"
missing=0
ok() { printf '  ok       %s\n' "$*"; }
ko() { printf '  MISSING  %s\n' "$*"; missing=1; }

if is_odoo_18_tree "$ODOO_PATH"; then
  ok "Odoo source: $ODOO_PATH ($("$PYTHON_BIN" -c "exec(open('$ODOO_PATH/odoo/release.py').read()); print(version)" 2>/dev/null))"
else
  ko "Odoo 18.0 source: $ODOO_PATH has no Odoo 18.0 tree (set ODOO_PATH, or run make test to clone it)"
fi
if [ -f "$VENV_DIR/.complete" ]; then ok "virtual environment: $VENV_DIR"
else ko "virtual environment: $VENV_DIR not built (make test builds it)"; fi
if command -v psql >/dev/null && pg_ready; then
  ok "PostgreSQL: $(psql -d postgres -XAtqc 'show server_version')"
else
  ko "PostgreSQL: not reachable (make test starts the local cluster)"
fi
chrome=$(command -v chromium || command -v google-chrome || command -v chromium-browser || true)
if [ -n "$chrome" ]; then ok "browser: $chrome"; else ko "browser: no chromium (apt-get install chromium)"; fi
if [ -x "$VENV_PY" ] && "$VENV_PY" -c 'import websocket' 2>/dev/null; then ok "websocket-client"
else ko "websocket-client (in the virtual environment)"; fi
exit $missing
