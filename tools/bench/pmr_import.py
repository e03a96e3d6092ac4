"""`make bench`, the import from partner_multi_relation at an agency's size: a
database with OCA partner_multi_relation (its wheel, as `make test` installs it),
22,000 partners, 4 relation types and 60,020 relations (pmr_import.sql), built
once and kept; then Odoo served as in production, `--workers 2` with one cron
worker and Odoo's default time limits (120 s real, 60 s CPU per request and per
cron run), the import started from the wizard over JSON-RPC as a care manager
would, and followed on its run until done.

Prints a line per step and a last line ``RESULT {json}`` (relations copied, seconds,
rate, peak memory of the server's processes, time-limit kills). Run by
tools/bench.py; alone: ``cd tools && python bench/pmr_import.py`` (with
tools/common.sh's variables exported).
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import psutil
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from odoo_tests import (
    CACHE_DIR,
    MODULE,
    database_exists,
    ensure_template_db,
    free_port,
    odoo_command,
    web_login,
)
from scratch import ScratchDb

OCA = "partner_multi_relation"
BENCH_DB = os.environ.get("PMR_BENCH_DB", f"{MODULE}_pmr_bench")
EXPECTED = 60_020
LOGIN = "pmr_bench_manager"
# Odoo's defaults, spelled out: the import must fit in them.
LIMITS = ["--limit-time-real=120", "--limit-time-cpu=60", "--limit-time-real-cron=-1"]
TIMEOUT = 30 * 60
KILLED = ("virtual real time limit", "CPU time limit", "exceeded")

TYPES = """
import json
Type = env["res.partner.relation.type"]
types = {
    "parent": Type.create({"name": "Has parent", "name_inverse": "Is parent of",
                           "contact_type_left": "p", "contact_type_right": "p"}),
    "emergency": Type.create({"name": "Has emergency contact",
                              "name_inverse": "Is emergency contact of",
                              "contact_type_left": "p", "contact_type_right": "p"}),
    "employee": Type.create({"name": "Is employee of", "name_inverse": "Has employee",
                             "contact_type_left": "p", "contact_type_right": "c"}),
    "neighbour": Type.create({"name": "Is neighbour of",
                              "name_inverse": "Has neighbour",
                              "contact_type_left": "p", "contact_type_right": "p"}),
}
env["res.users"].create({
    "name": "PMR Bench Manager", "login": %(login)r, "password": %(login)r,
    "groups_id": [(4, env.ref("care_network.group_care_manager").id)],
})
env.cr.commit()
print("TYPES " + json.dumps({key: t.id for key, t in types.items()}))
"""

# Each measured run imports everything: what an earlier run copied goes.
RESET = """
# Bench set-up, not the addon: 60,000 rows at once.
env.cr.execute("DELETE FROM care_relation WHERE import_ref LIKE 'partner_multi%'")
env["care.relation.import.job"].search([]).unlink()
env.cr.commit()
print("RESET " + str(env["res.partner.relation"].search_count([])))
"""


def build():
    print(f"==> {OCA} import bench: building {BENCH_DB}")
    db = ScratchDb(BENCH_DB, ensure_template_db(demo=False), "pmr_bench")
    db.odoo("-i", f"{MODULE},{OCA}", "--stop-after-init", "--without-demo=all")
    types = json.loads(db.shell(TYPES % {"login": LOGIN}, "TYPES "))
    subprocess.run(
        ["psql", "-X", "-q", "-d", BENCH_DB]
        + [arg for key, value in types.items() for arg in ("-v", f"{key}={value}")]
        + ["-f", str(Path(__file__).with_name("pmr_import.sql"))],
        check=True,
        capture_output=True,
    )
    return db


def prepare():
    if database_exists(BENCH_DB):
        db = ScratchDb.existing(BENCH_DB, "pmr_bench")
        db.odoo("-u", MODULE, "--stop-after-init")
    else:
        db = build()
    relations = int(db.shell(RESET, "RESET "))
    if relations != EXPECTED:
        sys.exit(f"{BENCH_DB}: {relations} relations, {EXPECTED} expected")
    return db


def call(session, base, model, method, args, kwargs=None):
    response = session.post(
        f"{base}/web/dataset/call_kw/{model}/{method}",
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "model": model,
                "method": method,
                "args": args,
                "kwargs": kwargs or {},
            },
        },
        timeout=130,
    )
    body = response.json()
    if "error" in body:
        sys.exit(f"{model}.{method}: {body['error']['data']['message']}")
    return body["result"]


def tree_rss(process):
    """The resident memory of a process and its children (the workers), in MB."""
    processes = [process, *process.children(recursive=True)]
    total = 0
    for each in processes:
        try:
            total += each.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total / 2**20


def serve_and_import():
    port = free_port()
    log = CACHE_DIR / "logs" / "pmr_bench_server.log"
    server = subprocess.Popen(
        odoo_command(
            "-d",
            BENCH_DB,
            f"--db-filter=^{BENCH_DB}$",
            f"--http-port={port}",
            "--workers=2",
            "--max-cron-threads=1",
            *LIMITS,
            f"--logfile={log}",
        )
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                requests.get(f"{base}/web/login", timeout=30)
                break
            except requests.RequestException:  # not listening yet, or loading
                time.sleep(1)
        session = web_login(base, LOGIN, LOGIN)
        process = psutil.Process(server.pid)
        started = time.monotonic()
        wizard = call(session, base, "care.relation.import", "create", [{}])
        lines = call(
            session,
            base,
            "care.relation.import.line",
            "search_read",
            [[["import_id", "=", wizard]]],
            {"fields": ["source_name", "target_type_id"]},
        )
        proposed = {
            line["source_name"]: (line["target_type_id"] or [None, None])[1]
            for line in lines
        }
        print("  proposed:", json.dumps(proposed))
        action = call(
            session, base, "care.relation.import", "action_import", [[wizard]]
        )
        print(
            f"  started in {time.monotonic() - started:.1f} s: run {action['res_id']}"
        )
        peak, job = 0.0, {}
        while time.monotonic() - started < TIMEOUT:
            peak = max(peak, tree_rss(process))
            job = call(
                session,
                base,
                "care.relation.import.job",
                "read",
                [[action["res_id"]]],
                {
                    "fields": [
                        "state",
                        "done_count",
                        "total",
                        "copied_count",
                        "already_count",
                        "skipped_count",
                        "summary",
                    ]
                },
            )[0]
            if job["state"] in ("done", "failed"):
                break
            time.sleep(2)
        seconds = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=60)
    killed = [
        line for line in log.read_text().splitlines() if any(k in line for k in KILLED)
    ]
    return {
        "relations": job.get("copied_count", 0),
        "read": job.get("done_count", 0),
        "state": job.get("state"),
        "seconds": round(seconds, 1),
        "per_second": round(job.get("copied_count", 0) / seconds) if seconds else 0,
        "peak_mb": round(peak),
        "killed": len(killed),
        "proposed": proposed,
        "summary": job.get("summary"),
    }


def main():
    prepare()
    print(f"==> Import of {EXPECTED:,} relations under --workers 2, default limits")
    result = serve_and_import()
    print(
        f"  {result['state']}: {result['relations']:,} copied in {result['seconds']} s "
        f"({result['per_second']:,}/s), peak {result['peak_mb']} MB, "
        f"{result['killed']} time-limit kills"
    )
    print("RESULT " + json.dumps(result))
    return 0 if result["state"] == "done" and not result["killed"] else 1


if __name__ == "__main__":
    sys.exit(main())
