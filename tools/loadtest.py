# ruff: noqa: E501  (report formatting lines are wider than code)
"""`make loadtest`: Odoo with 4 HTTP workers and 2 cron workers on the benchmark
database (`make bench`'s, built if missing), driven by locust for a fixed time at
10, 50 and 200 users: portal guardians, care staff over JSON-RPC (client forms,
circle searches, status moves) and claimers on their inbound board, with the same
load on Odoo's own /my/account, a plain partner read, Odoo's own contact form and a
partner message that e-mails the partner as the baselines. Then the
reminder cron at scale: 10,000 appointments due at once, sent by the 2 cron workers.
With REPLICA=1, a streaming replica serves the read-only routes.

Prints a table, writes JSON under $CACHE_DIR/loadtest/. Asserts nothing (make test
has no timing); says which target is missed."""

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import requests
from bench import bench_db_name, build, shell
from odoo_tests import CACHE_DIR, REPO_ROOT, database_exists, free_port, odoo_command
from replica import Replica

HERE = Path(__file__).parent / "loadtest"
LEVELS = tuple(
    int(n) for n in os.environ.get("LOADTEST_LEVELS", "10,50,200").split(",")
)
SECONDS = float(os.environ.get("LOADTEST_SECONDS", "45"))
LOCUST_PY = os.environ["LOCUST_PY"]
OUT = CACHE_DIR / "loadtest"


def psql(db, query, *args, port=None):
    command = ["psql", "-XAtq", "-d", db, "-c", query]
    if port:
        command += ["-p", str(port)]
    return subprocess.run(
        command, capture_output=True, text=True, check=True
    ).stdout.strip()


def start_odoo(db, replica=None):
    port = free_port()
    extra = replica.odoo_options() if replica else []
    log = open(CACHE_DIR / "logs" / "loadtest-odoo.log", "w")  # noqa: SIM115 (the server's)
    process = subprocess.Popen(
        odoo_command(
            "-d",
            db,
            f"--db-filter=^{db}$",
            f"--http-port={port}",
            f"--gevent-port={free_port()}",
            "--workers=4",
            "--max-cron-threads=2",
            "--limit-time-real=600",
            "--limit-time-cpu=600",
            "--log-level=warn",
            *extra,
        ),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            if requests.get(f"{base}/web/login", timeout=5).status_code == 200:
                return process, base
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    process.terminate()
    sys.exit("loadtest: Odoo did not start, see logs/loadtest-odoo.log")


def run_level(base, config_path, users):
    moves_path = OUT / f"moves-{users}.jsonl"
    moves_path.write_text("")
    env = dict(
        os.environ,
        LOADTEST_CONFIG=str(config_path),
        LOADTEST_MOVES=str(moves_path),
        LOADTEST_SESSIONS=str(OUT / "sessions.json"),
    )
    result = subprocess.run(
        [LOCUST_PY, "run_level.py", base, str(users), str(SECONDS)],
        cwd=HERE,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    line = next(
        (l for l in result.stdout.splitlines() if l.startswith("RESULT ")), None
    )
    if not line:
        sys.exit(
            f"loadtest: locust failed\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
        )
    level = json.loads(line[len("RESULT ") :])
    moved = [
        json.loads(m)["referral"] for m in moves_path.read_text().splitlines() if m
    ]
    level["moves"] = {"ok": len(moved), **lost_moves(config_path, moved)}
    level["moved_ids"] = moved
    return level


def lost_moves(config_path, moved):
    """Each move that got a 200 is in the referral's history once, and nothing else
    was logged for those referrals."""
    db = json.loads(config_path.read_text())["db"]
    if not moved:
        return {"logged": 0, "lost": 0, "extra": 0}
    rows = psql(
        db,
        "SELECT referral_id, count(*) FROM care_referral_status_log WHERE state_to = "
        f"'accepted' AND referral_id IN ({','.join(map(str, moved))}) GROUP BY referral_id",
    )
    counts = dict(map(int, row.split("|")) for row in rows.splitlines() if row)
    return {
        "logged": sum(counts.values()),
        "lost": sum(1 for referral in moved if referral not in counts),
        "extra": sum(count - 1 for count in counts.values() if count > 1),
    }


def cron_at_scale(db, config):
    """10,000 reminders due at once; the 2 cron workers send them."""
    subprocess.run(
        ["psql", "-XAtq", "-d", db, "-f", str(HERE / "appointments.sql")], check=True
    )
    expected = int(
        psql(
            db,
            "SELECT count(*) FROM calendar_event WHERE name LIKE 'Load appointment %'",
        )
    )
    started = time.time()
    psql(
        db,
        f"UPDATE ir_cron SET nextcall = now() - interval '1 minute' WHERE id = {config['reminder_cron']}",
    )
    psql(db, f"NOTIFY cron_trigger, '{db}'")
    count_sql = (
        "SELECT count(*), count(DISTINCT (r.event_id, r.event_start, r.member_id)) FROM care_reminder r "
        "JOIN calendar_event e ON e.id = r.event_id WHERE e.name LIKE 'Load appointment %'"
    )
    sent = distinct = 0
    while time.time() - started < 15 * 60:
        sent, distinct = map(int, psql(db, count_sql).split("|"))
        if sent >= expected:
            break
        time.sleep(2)
    seconds = time.time() - started
    mails = int(
        psql(
            db,
            "SELECT count(*) FROM mail_mail m JOIN mail_message g ON g.id = m.mail_message_id "
            "WHERE g.model = 'care.reminder' AND g.res_id IN (SELECT r.id FROM care_reminder r "
            "JOIN calendar_event e ON e.id = r.event_id WHERE e.name LIKE 'Load appointment %')",
        )
    )
    return {
        "appointments": expected,
        "reminders": sent,
        "distinct": distinct,
        "emails_queued": mails,
        "seconds": round(seconds, 1),
        "within_15_minutes": sent >= expected and seconds < 15 * 60,
    }


# Each of the addon's requests read against Odoo's own, in the same run: the
# portal pages against /my/account, the staff's JSON-RPC against a partner read.
BASELINES = {
    "portal": "baseline /my/account",
    "staff": "baseline partner read",
    "claimer": "baseline partner read",
}
# Where Odoo has a closer equivalent: its own contact form, its own write that
# e-mails someone.
REQUEST_BASELINES = {
    "staff client form": "baseline partner form",
    "staff set_state": "baseline partner message",
}
P95_TARGET = 1.5


def error_rate(row):
    return row["failures"] / row["requests"] if row["requests"] else 0.0


def ratios(level):
    """[(request, baseline, error rate, baseline error rate, p95 ratio, met)]."""
    rows = []
    for name, row in sorted(level["stats"].items()):
        kind = name.split(" ", 1)[0]
        baseline = REQUEST_BASELINES.get(name, BASELINES.get(kind))
        if not baseline or baseline not in level["stats"]:
            continue
        base = level["stats"][baseline]
        p95 = row["p95_ms"] / base["p95_ms"] if base["p95_ms"] else None
        errors, base_errors = error_rate(row), error_rate(base)
        met = errors <= base_errors and p95 is not None and p95 <= P95_TARGET
        rows.append((name, baseline, errors, base_errors, p95, met))
    return rows


def report(result):
    print(
        f"\n{'level':>5}  {'request':28} {'reqs':>6} {'fail':>5} {'rps':>6} {'p50':>7} {'p95':>7} {'p99':>7}"
    )
    for level in result["levels"]:
        for name, row in sorted(level["stats"].items()):
            print(
                f"{level['users']:>5}  {name:28} {row['requests']:>6} {row['failures']:>5} {row['rps']:>6} {row['p50_ms']:>6}ms {row['p95_ms']:>6}ms {row['p99_ms']:>6}ms"
            )
        moves = level["moves"]
        print(
            f"{level['users']:>5}  status moves: {moves['ok']} answered 200, {moves['logged']} logged, {moves['lost']} lost, {moves['extra']} extra; errors: {sum(level['errors'].values())}"
        )
        for error, count in level["errors"].items():
            print(f"         {count} x {error}")
    print(
        f"\nagainst Odoo's own pages (target: error rate <= Odoo's, p95 <= {P95_TARGET}x), {result['machine']['cpus']} cores:"
    )
    for level in result["levels"]:
        for name, baseline, errors, base_errors, p95, met in ratios(level):
            print(
                f"{level['users']:>5}  {name:28} errors {errors:6.1%} vs {base_errors:6.1%}  p95 x{p95 or 0:.2f} of {baseline}{'' if met else '  (MISSED)'}"
            )
    cron = result["cron"]
    print(
        f"\ncron at scale: {cron['reminders']} reminders for {cron['appointments']} appointments ({cron['distinct']} distinct, {cron['emails_queued']} e-mails) in {cron['seconds']} s with 2 cron workers"
    )
    if result.get("replica"):
        share = result["replica"]
        print(
            f"replica: {share['replica_share']:.0%} of the transactions during the portal load ran on the replica ({share['replica_xacts']} of {share['replica_xacts'] + share['primary_xacts']})"
        )


def markdown(result):
    machine = result["machine"]
    lines = [
        (
            f"Latest run: {machine['cpus']} vCPU, PostgreSQL {machine['postgres']}, "
            f"Python {machine['python']}, Odoo with {machine['odoo']}, locust on the "
            f"same machine, {machine['seconds_per_level']:.0f} s a level "
            f"({machine['date']})."
        ),
        "",
        "| users | request | req/s | p50 | p95 | p99 | failures |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for level in result["levels"]:
        for name, row in sorted(level["stats"].items()):
            lines.append(
                f"| {level['users']} | {name} | {row['rps']} | {row['p50_ms']} ms | "
                f"{row['p95_ms']} ms | {row['p99_ms']} ms | {row['failures']} |"
            )
    lines.append("")
    for level in result["levels"]:
        moves = level["moves"]
        lines.append(
            f"- {level['users']} users: {sum(level['errors'].values())} errors; "
            f"{moves['ok']} status moves answered 200, {moves['logged']} in the "
            f"history, {moves['lost']} lost, {moves['extra']} extra."
        )
    lines += [
        "",
        (
            f"Against Odoo's own pages in the same run ({machine['cpus']} cores): the "
            "portal pages against `/my/account`, the client form against Odoo's own "
            "contact form, a status move against a message that e-mails the partner, "
            "the other JSON-RPC against a partner read. Target at every level: error "
            f"rate no higher than Odoo's own, p95 at most {P95_TARGET}x."
        ),
        "",
        "| users | request | error rate | Odoo's error rate | p95 / Odoo's p95 | met |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for level in result["levels"]:
        for name, baseline, errors, base_errors, p95, met in ratios(level):
            lines.append(
                f"| {level['users']} | {name} (vs {baseline.split(' ', 1)[1]}) | "
                f"{errors:.1%} | {base_errors:.1%} | {p95 or 0:.2f} | "
                f"{'yes' if met else '**no**'} |"
            )
    lines.append("")
    cron = result["cron"]
    lines.append(
        f"- Reminder cron at scale: {cron['reminders']} reminders for "
        f"{cron['appointments']} appointments due at once ({cron['distinct']} distinct, "
        f"{cron['emails_queued']} e-mails queued) in {cron['seconds']:.0f} s with 2 cron workers."
    )
    if result.get("replica"):
        share = result["replica"]
        lines.append(
            f"- With a streaming replica: {share['replica_share']:.0%} of the database "
            f"transactions of the load ran on the replica ({share['replica_xacts']} of "
            f"{share['replica_xacts'] + share['primary_xacts']})."
        )
    return "\n".join(lines)


def write_readme(result):
    readme = REPO_ROOT / "readme" / "DEVELOP.md"  # its "Scale out" section
    text = readme.read_text()
    begin, end = "<!-- loadtest:begin -->", "<!-- loadtest:end -->"
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        tail = rest.split(end, 1)[1]
        readme.write_text(f"{head}{begin}\n{markdown(result)}\n{end}{tail}")
        print(f"readme/DEVELOP.md: table written between {begin} and {end}")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    db = bench_db_name()
    if not database_exists(db):
        build(db)
    config = json.loads(shell(db, (HERE / "prepare.py").read_text(), "CONFIG "))
    config_path = OUT / "config.json"
    (OUT / "sessions.json").unlink(missing_ok=True)  # a new server: new sessions
    config_path.write_text(json.dumps(config))
    replica = Replica(db) if os.environ.get("REPLICA") == "1" else None
    if replica:
        replica.start()
    process, base = start_odoo(db, replica)
    try:
        before = replica.transactions() if replica else None
        levels = []
        for users in LEVELS:
            levels.append(run_level(base, config_path, users))
            # The next level moves other referrals.
            config["moved"] = config.get("moved", []) + levels[-1]["moved_ids"]
            config_path.write_text(json.dumps(config))
        replica_share = replica.share_since(before) if replica else None
        cron = cron_at_scale(db, config)
    finally:
        process.terminate()
        process.wait(timeout=60)
        if replica:
            replica.stop()
    result = {
        "machine": {
            "cpus": os.cpu_count(),
            "cpu": platform.processor() or platform.machine(),
            "python": platform.python_version(),
            "postgres": psql("postgres", "SHOW server_version"),
            "date": time.strftime("%Y-%m-%d %H:%M"),
            "odoo": "4 HTTP workers, 2 cron workers",
            "seconds_per_level": SECONDS,
        },
        "levels": levels,
        "cron": cron,
        "replica": replica_share,
    }
    report(result)
    write_readme(result)
    path = OUT / f"loadtest-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(result, indent=2))
    (OUT / "latest.json").write_text(json.dumps(result, indent=2))
    print(f"\nJSON: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
