#!/usr/bin/env bash
# `make screenshots`: the README's screenshots, taken in headless Chromium on the demo database.
set -euo pipefail
source "$(dirname "$0")/common.sh"
"$REPO_ROOT/tools/setup.sh" system odoo venv postgres link browser
ensure_demo_db
export REPO_ROOT ODOO_PATH CACHE_DIR ADDONS_LINK_DIR TEST_DB
cd "$REPO_ROOT/tools" && "$VENV_PY" screenshots.py "$DEMO_DB"
