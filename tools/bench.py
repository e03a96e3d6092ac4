# ruff: noqa: E501  (report formatting lines are wider than code)
"""`make bench`: a 100k-client database (built once, cached by data version and
size) and warm timings of the circle of care, relation search, record rules and
portal pages, each against its native Odoo baseline measured in the same run.
`make bench SCALE=1000000` does the same on ten times every table.

Prints a table (ratio, median, p95 per case), writes it as JSON under
$CACHE_DIR/bench/ (latest-<clients>.json per size), and shows the query plans of
cases b, c and d.
"""

import ast
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time

from odoo_tests import (
    CACHE_DIR,
    MODULE,
    REPO_ROOT,
    database_exists,
    ensure_template_db,
    error_lines,
    odoo_command,
    odoo_server,
    run_logged,
    web_login,
)

BENCH_DIR = REPO_ROOT / "tools" / "bench"
# f (the form on bare contacts) is a guard; f_deploy, the form beside Odoo's usual
# apps, is what a deployment sees (#38.8).
TARGETS = {"a": 1.5, "b": 2.0, "c": 2.0, "d": 1.5, "f": 2.1, "f_deploy": 1.3}
# Clients in the bench database: 100,000 unless SCALE says otherwise (a multiple).
BASE_CLIENTS = 100_000
CLIENTS = int(os.environ.get("SCALE") or BASE_CLIENTS)
if CLIENTS % BASE_CLIENTS:
    sys.exit(f"bench: SCALE must be a multiple of {BASE_CLIENTS}, not {CLIENTS}")
SCALE_FACTOR = CLIENTS // BASE_CLIENTS
LABELS = {
    "a": "read one client's circle (20 relations) vs 20 child_ids",
    "b": "search partners by (type, related partner) vs by parent_id",
    "c": "referral list (80 rows) as claimer vs superuser",
    "d_care": "GET /my/care as guardian vs /my/account",
    "d_referrals": "GET /my/referrals as guardian vs /my/account",
    "f": "client form web_read with the addon's fields vs without",
    "f_lists": "client form: the circle list's added time vs Odoo's Contacts tab's",
    "f_deploy": "client form with vs without the addon's fields, beside the usual apps",
}
# Odoo's own equivalents, measured the same way: the floor a target is read against.
REFERENCES = {
    "b_native": "Odoo's own one2many search (care_relation_ids any [type, partner]) vs by parent_id",
    "f_native": "Odoo's own Contacts tab with as many rows as the circle list vs none",
}
PASSWORD = "bench-password"
HTTP_RUNS = 30


def size_label(clients=CLIENTS):
    return f"{clients // 1000}k" if clients < 1_000_000 else f"{clients // 1_000_000}m"


def bench_db_name():
    """Named after its size and what shapes the data (the SQL, the addon's
    release, Odoo's template): rebuilt when any changes. Code changes within a
    release are brought in by upgrade_addon() before each run."""
    key = hashlib.sha1()
    for path in sorted(BENCH_DIR.glob("*.sql")):
        if path.name != "pmr_import.sql":  # the import bench's own database
            key.update(path.read_bytes())
    manifest = ast.literal_eval((REPO_ROOT / "__manifest__.py").read_text())
    key.update(manifest["version"].encode())
    key.update(ensure_template_db().encode())
    return f"{MODULE}_bench_{size_label()}_{key.hexdigest()[:10]}"


def shell_script(name):
    """A measuring script, after the helpers the scripts share (form_spec.py)."""
    return (BENCH_DIR / "form_spec.py").read_text() + (BENCH_DIR / name).read_text()


def shell(db, script, marker):
    result = subprocess.run(
        odoo_command("-d", db, "--no-http", "--log-level=warn", subcommand="shell"),
        input=script,
        capture_output=True,
        text=True,
        check=False,
    )
    for line in result.stdout.splitlines():
        if line.startswith(marker):
            return line[len(marker) :].strip()
    sys.exit(
        f"bench: no {marker.strip()} line\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
    )


def drop_stale_bench_dbs(keep):
    """Databases of earlier data versions only take disk space."""
    names = subprocess.run(
        ["psql", "-XAtd", "postgres", "-c", "SELECT datname FROM pg_database"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for name in names:
        if name.startswith(f"{MODULE}_bench_{size_label()}_") and name != keep:
            subprocess.run(["dropdb", "--if-exists", name], check=False)


def build(db):
    drop_stale_bench_dbs(keep=db)
    started = time.time()
    building = f"{db}_building"
    subprocess.run(
        odoo_command(subcommand="db") + ["drop", building],
        capture_output=True,
        check=False,
    )
    subprocess.run(
        odoo_command(subcommand="db") + ["duplicate", ensure_template_db(), building],
        check=True,
        capture_output=True,
    )
    print(f"==> Building {db}: installing {MODULE}")
    rc, lines = run_logged(
        odoo_command(
            "-d",
            building,
            "-i",
            MODULE,
            "--without-demo=all",
            "--stop-after-init",
            "--no-http",
        ),
        CACHE_DIR / "logs" / "bench-build.log",
        echo=False,
    )
    if rc or error_lines(lines):
        sys.exit(f"bench: install failed, see {CACHE_DIR}/logs/bench-build.log")
    print(f"==> Loading bulk data (set-based SQL, {CLIENTS:,} clients)")
    load_bulk_data(building, started)
    shell(
        building,
        f"""
users = env["res.users"].search([("login", "in", ["bench_staff_1", "bench_guardian_1"])])
users.write({{"password": {PASSWORD!r}}})
env.cr.commit()
print("PASSWORDS", len(users))
""",
        "PASSWORDS",
    )
    subprocess.run(
        odoo_command(subcommand="db") + ["rename", building, db],
        check=True,
        capture_output=True,
    )
    minutes = (time.time() - started) / 60
    print(f"==> Built {db} in {minutes:.1f} min, {database_size(db)} on disk")
    return round(minutes, 1)


def load_bulk_data(db, started):
    """Run build.sql, printing each step with the rows it loaded and the minutes
    since the build started (a million clients take a while)."""
    process = subprocess.Popen(
        [
            "psql",
            "-X",
            "-d",
            db,
            "-v",
            f"scale={SCALE_FACTOR}",
            "-f",
            str(BENCH_DIR / "build.sql"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    rows = 0
    for line in process.stdout:
        words = line.split()
        if words[:1] == ["INSERT"] and len(words) == 3:
            rows += int(words[2])
        elif line.startswith("==>"):
            minutes = (time.time() - started) / 60
            print(
                f"{line.strip()}  ({rows:,} rows so far, {minutes:.1f} min)", flush=True
            )
    if process.wait():
        sys.exit("bench: build.sql failed")


def database_size(db):
    return subprocess.run(
        [
            "psql",
            "-XAtd",
            db,
            "-c",
            "SELECT pg_size_pretty(pg_database_size(current_database()))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def upgrade_addon(db):
    """The database was built by an earlier state of this release: measure the
    code as it is now."""
    print(f"==> Upgrading {MODULE} on {db}")
    rc, lines = run_logged(
        odoo_command("-d", db, "-u", MODULE, "--stop-after-init", "--no-http"),
        CACHE_DIR / "logs" / "bench-upgrade.log",
        echo=False,
    )
    if rc or error_lines(lines):
        sys.exit(f"bench: upgrade failed, see {CACHE_DIR}/logs/bench-upgrade.log")


def counts(db):
    tables = [
        "res_partner",
        "care_relation",
        "care_program",
        "care_referral",
        "care_referral_status_log",
        "care_goal",
        "care_team",
    ]
    query = " UNION ALL ".join(f"SELECT '{t}', count(*) FROM {t}" for t in tables)
    query += " UNION ALL SELECT 'staff users', count(*) FROM res_users WHERE login LIKE 'bench_staff_%'"
    query += " UNION ALL SELECT 'portal guardians', count(*) FROM res_users WHERE login LIKE 'bench_guardian_%'"
    out = subprocess.run(
        ["psql", "-XAtF", "|", "-d", db, "-c", query],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(line.split("|") for line in out.stdout.splitlines())


def stats(samples):
    samples = sorted(samples)
    return {
        "median_ms": round(statistics.median(samples), 3),
        "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 3),
    }


def measure_http(db):
    with odoo_server(db) as base:
        session = web_login(base, "bench_guardian_1", PASSWORD)

        def timed(url):
            samples = []
            for index in range(HTTP_RUNS + 3):
                start = time.perf_counter()
                response = session.get(
                    f"{base}{url}", timeout=60, allow_redirects=False
                )
                elapsed = (time.perf_counter() - start) * 1000
                if response.status_code != 200:
                    sys.exit(f"bench: {url} answered {response.status_code}")
                if index >= 3:
                    samples.append(elapsed)
            return stats(samples)

        baseline = timed("/my/account")
        return {
            "d_care": {"case": timed("/my/care"), "baseline": baseline},
            "d_referrals": {"case": timed("/my/referrals"), "baseline": baseline},
        }


def added_ms(timing):
    return timing["case"]["median_ms"] - timing["baseline"]["median_ms"]


def lists_row(results):
    """The circle list costs no more than Odoo's own one2many of as many rows."""
    lists, native = added_ms(results["f_lists"]), added_ms(results["f_native"])
    return {
        "case": "f_lists",
        "what": LABELS["f_lists"],
        "ratio": round(lists / native, 2) if native > 0 else None,
        "target": "<= 1.0",
        "met": lists <= native,
        "rows": results["f_lists"]["rows"],
        "added_ms": round(lists, 2),
        "native_added_ms": round(native, 2),
    }


def report(results, meta):
    rows = []
    for key in ("a", "b", "c", "d_care", "d_referrals", "f", "f_deploy"):
        if key not in results:  # BENCH_DEPLOY=0
            continue
        case, baseline = results[key]["case"], results[key]["baseline"]
        ratio = case["median_ms"] / baseline["median_ms"]
        target = TARGETS.get(key, TARGETS.get(key[0]))
        rows.append(
            {
                "case": key,
                "what": LABELS[key],
                "ratio": round(ratio, 2),
                "target": f"<= {target}" if target else "",
                "met": ratio <= target if target else True,
                "median_ms": case["median_ms"],
                "p95_ms": case["p95_ms"],
                "baseline_median_ms": baseline["median_ms"],
                "baseline_p95_ms": baseline["p95_ms"],
            }
        )
    rows.append(lists_row(results))
    references = [
        {
            "case": key,
            "what": label,
            "ratio": round(
                results[key]["case"]["median_ms"]
                / results[key]["baseline"]["median_ms"],
                2,
            ),
            "median_ms": results[key]["case"]["median_ms"],
            "baseline_median_ms": results[key]["baseline"]["median_ms"],
        }
        for key, label in REFERENCES.items()
    ]
    per_second = results["e"]["relations_per_second"]
    rows.append(
        {
            "case": "e",
            "what": "create 10,000 relations in one create() (median of 3, warm)",
            "ratio": None,
            "target": ">= 2000 relations/s",
            "met": per_second >= 2000,
            "relations_per_second": per_second,
        }
    )
    print()
    print(
        f"{'case':12} {'ratio':>6} {'target':>8} {'median':>9} {'p95':>9} {'base med':>9} {'base p95':>9}  what"
    )
    for row in rows:
        missed = "" if row["met"] else "  (MISSED)"
        if row["case"] == "e":
            print(
                f"{'e':12} {'':>6} {'>=2000/s':>8} {per_second:>7}/s {'':>9} {'':>9} {'':>9}  {row['what']}{missed}"
            )
        elif row["case"] == "f_lists":
            print(
                f"{'f_lists':12} {row['ratio']!s:>6} {'1.0':>8} {row['added_ms']:>+7.2f}ms {'':>9} "
                f"{row['native_added_ms']:>+7.2f}ms {'':>9}  {row['what']} ({row['rows']} rows){missed}"
            )
        else:
            print(
                f"{row['case']:12} {row['ratio']:>6} {row['target'][3:]:>8} {row['median_ms']:>7.2f}ms {row['p95_ms']:>7.2f}ms "
                f"{row['baseline_median_ms']:>7.2f}ms {row['baseline_p95_ms']:>7.2f}ms  {row['what']}{missed}"
            )
    base_ms = results["f"]["baseline"]["median_ms"]
    print("\nf, each part of the addon's fields alone over the base form:")
    for part, ms in results["f_parts"].items():
        print(f"  {part:28} {ms:>+6.2f}ms {ms / base_ms:>6.0%} of the base form")
    native_ms = added_ms(results["f_native"])
    print(
        f"  {'(ref) Contacts tab, ' + str(results['f_lists']['rows']) + ' rows':28} "
        f"{native_ms:>+6.2f}ms  Odoo's own list with the circle list's rows"
    )
    print("\nreference (no target): what Odoo's own one2many costs, measured alike")
    for row in references:
        print(
            f"{row['case']:12} {row['ratio']:>6} {'':>8} {row['median_ms']:>7.2f}ms {'':>9} "
            f"{row['baseline_median_ms']:>7.2f}ms {'':>9}  {row['what']}"
        )
    for key, title in (
        ("b", "b: search by relation"),
        ("c", "c: referral list as claimer"),
    ):
        print(f"\n--- query plan, {title}")
        print("\n".join(results[key]["plan"]))
    print("\n--- query plan, b baseline: search by parent_id")
    print("\n".join(results["b"]["baseline_plan"]))
    for key, lines in results["d_plans"].items():
        print(f"\n--- query plan, d: {key} as guardian")
        print("\n".join(lines))
    output = {
        "machine": meta,
        "rows": rows,
        "references": references,
        "f_parts_ms": results["f_parts"],
        "plans": {k: results[k]["plan"] for k in ("b", "c")} | results["d_plans"],
    }
    out_dir = CACHE_DIR / "bench"
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(output, indent=2))
    (out_dir / f"latest-{size_label()}.json").write_text(json.dumps(output, indent=2))
    print(f"\nJSON: {path}")
    grown = print_growth(rows)
    return all(row["met"] for row in rows) and not grown


def print_growth(rows):
    """Each case's median here over the same case at 100k (its latest run): an
    index lookup should not grow with the table (target: at most 2x)."""
    if CLIENTS == BASE_CLIENTS:
        return []
    path = CACHE_DIR / "bench" / f"latest-{size_label(BASE_CLIENTS)}.json"
    if not path.exists():
        print(f"\ngrowth: no run at {size_label(BASE_CLIENTS)} yet ({path})")
        return []
    before = {row["case"]: row for row in json.loads(path.read_text())["rows"]}
    print(
        f"\ngrowth from {size_label(BASE_CLIENTS)} to {size_label()} (median, target <= 2x):"
    )
    grown = []
    for row in rows:
        old = before.get(row["case"])
        key = "relations_per_second" if row["case"] == "e" else "median_ms"
        if row["case"] == "f_lists":
            key = "added_ms"
        if not old or not old.get(key) or key not in row:
            continue
        factor = (
            old[key] / row[key]
            if key == "relations_per_second"
            else row[key] / old[key]
        )
        missed = factor > 2
        if missed:
            grown.append(row["case"])
        print(
            f"  {row['case']:12} {old[key]:>9} -> {row[key]:>9}  x{factor:.2f}"
            f"{'  (MISSED)' if missed else ''}"
        )
    return grown


def main():
    db = bench_db_name()
    build_minutes = None
    if not database_exists(db):
        build_minutes = build(db)
    else:
        upgrade_addon(db)
    print(f"==> Measuring on {db}")
    data = counts(db)
    results = json.loads(shell(db, shell_script("measure_orm.py"), "RESULT "))
    results.update(measure_http(db))
    if os.environ.get("BENCH_DEPLOY", "1") == "1":
        results["f_deploy"] = bench_deploy_form()
    meta = {
        "database": db,
        "clients": CLIENTS,
        "build_minutes": build_minutes,
        "size_on_disk": database_size(db),
        "rows": data,
        "cpu": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "postgres": subprocess.run(
            ["psql", "-XAtc", "show server_version", "-d", "postgres"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip(),
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }
    print("rows:", ", ".join(f"{k} {v}" for k, v in data.items()))
    met = report(results, meta)
    if os.environ.get("BENCH_PMR", "1") == "1":
        met = bench_pmr_import() and met
    print("\nall targets met" if met else "\nsome targets missed")
    return 0


def bench_deploy_form():
    """Case f_deploy, on a database with Odoo's usual apps (bench/deploy_form.py;
    BENCH_DEPLOY=0 skips it)."""
    print("==> f_deploy: the client form beside Odoo's usual apps")
    result = subprocess.run(
        [sys.executable, str(BENCH_DIR / "deploy_form.py")],
        capture_output=True,
        text=True,
        check=False,
    )
    for line in result.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT ") :])
    sys.exit(
        f"bench: f_deploy printed no result\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
    )


def bench_pmr_import():
    """The import of 60,020 partner_multi_relation relations under --workers 2
    and Odoo's default time limits (bench/pmr_import.py; BENCH_PMR=0 skips it)."""
    print("\n--- import from partner_multi_relation at an agency's size")
    result = subprocess.run(
        [sys.executable, str(BENCH_DIR / "pmr_import.py")], check=False
    )
    return result.returncode == 0


if __name__ == "__main__":
    sys.exit(main())
