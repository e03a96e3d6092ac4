#!/usr/bin/env bash
# `make test`: set-up, the addon's Odoo tests on fresh databases (with demo data,
# without, and beside Odoo's usual apps), the install/uninstall/reinstall, upgrade
# and wheel checks, then lint.
# Ends with one line: N passed, N failed, N skipped.
set -uo pipefail
source "$(dirname "$0")/common.sh"

"$REPO_ROOT/tools/setup.sh" || exit 1
export REPO_ROOT ODOO_PATH CACHE_DIR ADDONS_LINK_DIR TEST_DB
summary_file=$CACHE_DIR/logs/summary
problems_file=$CACHE_DIR/logs/problems
rm -f "$summary_file" "$problems_file"

"$VENV_PY" "$REPO_ROOT/tools/odoo_tests.py"
tests_rc=$?
read -r passed failed skipped <"$summary_file" 2>/dev/null || { passed=0 failed=1 skipped=0; }
grep -hoE "(Access matrix|Search matrix|Portal route matrix|Bad input|Trust sweep|accessibility): .*" \
  "$CACHE_DIR/logs/test.log" | sed 's/^/  /'

# One more passed or failed check per script.
run_check() {
  say "$1"
  if "$VENV_PY" "$REPO_ROOT/tools/$2"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    tests_rc=1
  fi
}
run_check "Translations" i18n_check.py
run_check "Install, uninstall, reinstall" uninstall_check.py
run_check "Upgrade from the previous release" upgrade_check.py
run_check "pip-installable wheel" wheel_check.py
run_check "Import from partner_multi_relation" pmr_check.py

say "Lint"
"$REPO_ROOT/tools/lint.sh"
lint_rc=$?
if [ $lint_rc -ne 0 ]; then
  echo "lint failed"
  failed=$((failed + 1))
fi

if [ -s "$problems_file" ]; then
  echo "What failed in the Odoo suites ($(wc -l <"$problems_file"), the first 40 here; each suite's log has them all):"
  head -n 40 "$problems_file" | cut -c1-300 | sed 's/^/  /'
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ $tests_rc -eq 0 ] && [ $lint_rc -eq 0 ]
