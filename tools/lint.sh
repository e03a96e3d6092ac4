#!/usr/bin/env bash
# ruff (check and format) and pylint-odoo's OCA-mandatory checks.
set -uo pipefail
source "$(dirname "$0")/common.sh"
cd "$REPO_ROOT" || exit 1
rc=0
"$VENV_DIR/bin/ruff" check --no-fix . || rc=1
"$VENV_DIR/bin/ruff" format --check . || rc=1
"$VENV_DIR/bin/pylint" --rcfile=.pylintrc-mandatory "$ADDONS_LINK_DIR/care_network" || rc=1
exit $rc
