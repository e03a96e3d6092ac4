#!/usr/bin/env bash
# `make run`: set-up, then Odoo with the addon and its demo data on http://localhost:$HTTP_PORT.
set -euo pipefail
source "$(dirname "$0")/common.sh"
"$REPO_ROOT/tools/setup.sh" system odoo venv postgres link

ensure_demo_db

cat <<MSG

  Care Network is starting on http://localhost:$HTTP_PORT  (database $DEMO_DB)

  Back office:  admin / admin              (administrator, care manager)
                caremanager / caremanager  (care manager)
                navigator / navigator      (care user: helper and program claimer)

  Portal:       claire / claire            (Claire Martin, legal guardian of Léo Martin)

MSG
odoo_bin -d "$DEMO_DB" --db-filter="^$DEMO_DB\$" --http-port="$HTTP_PORT"
