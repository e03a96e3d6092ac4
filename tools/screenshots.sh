#!/usr/bin/env bash
# `make screenshots`: the README's screenshots, taken in headless Chromium on a fresh
# database with the demo data (demo records are noupdate: an upgraded demo database
# may not hold them all).
set -euo pipefail
source "$(dirname "$0")/common.sh"
"$REPO_ROOT/tools/setup.sh" system odoo venv postgres link browser pdftools
DEMO_DB=care_network_screenshots
dropdb --if-exists "$DEMO_DB"
ensure_demo_db
export REPO_ROOT ODOO_PATH CACHE_DIR ADDONS_LINK_DIR TEST_DB
cd "$REPO_ROOT/tools" && "$VENV_PY" screenshots.py "$DEMO_DB"
