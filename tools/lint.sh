#!/usr/bin/env bash
# ruff (check and format), pylint-odoo's OCA-mandatory checks, and README.md's
# generated index of readme/ (tools/readme_index.py --check, a fraction of a second).
set -uo pipefail
source "$(dirname "$0")/common.sh"
cd "$REPO_ROOT" || exit 1
rc=0
"$VENV_DIR/bin/ruff" check --no-fix . || rc=1
"$VENV_DIR/bin/ruff" format --check . || rc=1
"$VENV_PY" tools/readme_index.py --check || rc=1
"$VENV_DIR/bin/pylint" --rcfile=.pylintrc-mandatory "$ADDONS_LINK_DIR/care_network" || rc=1
exit $rc
