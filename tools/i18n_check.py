"""Fail when i18n/care_network.pot is out of date with the code, or when a
translation (i18n/*.po) has an untranslated, fuzzy or placeholder-mismatched entry.

Exports the template from the test database (module installed, as after
`make test`) and compares message ids. With --write, rewrites the .pot instead.
"""

import re
import sys
import tempfile
from pathlib import Path

import polib
from odoo_tests import (
    CACHE_DIR,
    MODULE,
    REPO_ROOT,
    TEST_DB,
    error_lines,
    odoo_command,
    run_logged,
)

I18N = REPO_ROOT / "i18n"
POT = I18N / f"{MODULE}.pot"
PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\{.*?\}\}")


def export_pot(path):
    rc, lines = run_logged(
        odoo_command(
            "-d",
            TEST_DB,
            f"--i18n-export={path}",
            f"--modules={MODULE}",
            "--stop-after-init",
            "--no-http",
            "--log-level=warn",
        ),
        CACHE_DIR / "logs" / "i18n.log",
        echo=False,
    )
    if rc or error_lines(lines) or not Path(path).exists():
        sys.exit(f"i18n: export failed, see {CACHE_DIR}/logs/i18n.log")


def msgids(po):
    return {entry.msgid for entry in po if not entry.obsolete}


def check_pot(fresh):
    committed = msgids(polib.pofile(str(POT)))
    current = msgids(fresh)
    problems = [
        f"missing from the .pot: {m[:80]!r}" for m in sorted(current - committed)
    ]
    problems += [f"stale in the .pot: {m[:80]!r}" for m in sorted(committed - current)]
    return problems


def check_translation(path, wanted):
    problems = []
    entries = {e.msgid: e for e in polib.pofile(str(path)) if not e.obsolete}
    for msgid in sorted(wanted):
        entry = entries.get(msgid)
        where = f"{path.name}: {msgid[:60]!r}"
        if entry is None or not entry.msgstr.strip():
            problems.append(f"{where} is not translated")
        elif "fuzzy" in entry.flags:
            problems.append(f"{where} is fuzzy")
        elif sorted(PLACEHOLDER.findall(msgid)) != sorted(
            PLACEHOLDER.findall(entry.msgstr)
        ):
            problems.append(f"{where} has other placeholders than the source")
    return problems


def main():
    with tempfile.TemporaryDirectory() as tmp:
        fresh_path = Path(tmp) / f"{MODULE}.pot"
        export_pot(fresh_path)
        if "--write" in sys.argv:
            POT.write_text(fresh_path.read_text())
            print(f"wrote {POT}")
            return 0
        fresh = polib.pofile(str(fresh_path))
    problems = check_pot(fresh)
    wanted = msgids(fresh)
    translations = sorted(I18N.glob("*.po"))
    for path in translations:
        problems += check_translation(path, wanted)
    for problem in problems:
        print(f"  - {problem}")
    if problems:
        print(f"i18n check failed: {len(problems)} problems")
        return 1
    names = ", ".join(p.name for p in translations)
    print(f"i18n check passed: {len(wanted)} messages, {names} complete")
    return 0


if __name__ == "__main__":
    sys.exit(main())
