#!/usr/bin/env bash
# `make loadtest` (REPLICA=1 for a streaming replica): set-up, the load-test virtual
# environment (locust, which pins newer web libraries than Odoo's, so it lives apart
# from Odoo's environment), then tools/loadtest.py.
set -euo pipefail
source "$(dirname "$0")/common.sh"
"$REPO_ROOT/tools/setup.sh" system odoo venv postgres link
requirements=$REPO_ROOT/tools/requirements-loadtest.txt
key=$({ "$PYTHON_BIN" -c 'import sys; print(sys.version)'; cat "$requirements"; } | sha256sum | cut -c1-12)
LOCUST_VENV=$CACHE_DIR/loadtest-venv-$key
if [ ! -f "$LOCUST_VENV/.complete" ]; then
  say "Building the load-test virtual environment $LOCUST_VENV"
  rm -rf "$LOCUST_VENV"
  "$PYTHON_BIN" -m venv "$LOCUST_VENV"
  "$LOCUST_VENV/bin/python" -m pip install -q --upgrade pip
  "$LOCUST_VENV/bin/python" -m pip install -q -r "$requirements"
  touch "$LOCUST_VENV/.complete"
fi
export REPO_ROOT ODOO_PATH CACHE_DIR ADDONS_LINK_DIR TEST_DB
export LOCUST_PY=$LOCUST_VENV/bin/python
cd "$REPO_ROOT/tools" && "$VENV_PY" loadtest.py
