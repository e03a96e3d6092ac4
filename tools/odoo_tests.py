"""Run the addon's Odoo tests on a fresh database and judge the log strictly.

A run fails on any failed or errored test, on any ERROR/CRITICAL log line, on a
skipped test (a browser test that would not run is a defect), and when no test ran.
It ends with one line: ``N passed, N failed, N skipped``.

Invoked by tools/test.sh, which exports the paths below.
"""

import ast
import contextlib
import hashlib
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

REPO_ROOT = Path(os.environ["REPO_ROOT"])
ODOO_PATH = Path(os.environ["ODOO_PATH"])
CACHE_DIR = Path(os.environ["CACHE_DIR"])
ADDONS_LINK_DIR = Path(os.environ["ADDONS_LINK_DIR"])
TEST_DB = os.environ.get("TEST_DB", "care_network_test")
MODULE = "care_network"

LOG_LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} \d+ (?P<level>[A-Z]+) (?P<db>\S+) "
    r"(?P<logger>[\w.]+): (?P<msg>.*)"
)


def odoo_command(*args, subcommand=None):
    command = [sys.executable, str(ODOO_PATH / "odoo-bin")]
    if subcommand:
        command.append(subcommand)
    addons_path = ",".join(
        str(path)
        for path in (ODOO_PATH / "addons", ODOO_PATH / "odoo/addons", ADDONS_LINK_DIR)
    )
    return command + [
        f"--addons-path={addons_path}",
        f"--data-dir={CACHE_DIR / 'data'}",
        *args,
    ]


@contextlib.contextmanager
def odoo_server(db):
    """An Odoo server on a free port serving ``db``; yields its base URL."""
    import requests

    port = free_port()
    server = subprocess.Popen(
        odoo_command(
            "-d",
            db,
            f"--http-port={port}",
            f"--db-filter=^{db}$",
            "--workers=0",
            "--max-cron-threads=0",
            "--log-level=warn",
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                requests.get(f"{base}/web/login", timeout=2)
                break
            except requests.ConnectionError:
                time.sleep(0.5)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def web_login(base, login, password):
    """A requests session logged into Odoo's web client."""
    import requests

    session = requests.Session()
    page = session.get(f"{base}/web/login", timeout=30).text
    csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
    session.post(
        f"{base}/web/login",
        data={"login": login, "password": password, "csrf_token": csrf},
        timeout=30,
    )
    return session


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manifest_depends():
    manifest = ast.literal_eval((REPO_ROOT / "__manifest__.py").read_text())
    return sorted(manifest["depends"])


def template_db_name():
    """A database with the addon's dependencies installed, reused between runs."""
    release = (ODOO_PATH / "odoo" / "release.py").read_text()
    key = "|".join([str(ODOO_PATH), release, sys.executable, *manifest_depends()])
    return f"{MODULE}_base_{hashlib.sha1(key.encode()).hexdigest()[:10]}"


def database_exists(name):
    result = subprocess.run(
        [
            "psql",
            "-d",
            "postgres",
            "-XAtqc",
            f"select 1 from pg_database where datname='{name}'",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip() == "1"


def run_logged(command, log_path, echo):
    """Run a command, keep its whole output in log_path, echo it if asked."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    lines = []
    with (
        open(log_path, "w") as log,
        subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
        ) as process,
    ):
        for line in process.stdout:
            log.write(line)
            lines.append(line.rstrip("\n"))
            if echo:
                sys.stdout.write(line)
                sys.stdout.flush()
    return process.returncode, lines


def error_lines(lines):
    return [
        line
        for line in lines
        if (m := LOG_LINE.match(line)) and m["level"] in ("ERROR", "CRITICAL")
    ]


def ensure_template_db():
    name = template_db_name()
    if database_exists(name):
        return name
    building = f"{name}_building"
    print(f"==> Building template database {name} ({', '.join(manifest_depends())})")
    subprocess.run(
        odoo_command("-f", building, subcommand="db") + ["drop"],
        check=False,
        capture_output=True,
    )
    rc, lines = run_logged(
        odoo_command(
            "-d",
            building,
            "-i",
            ",".join(manifest_depends()),
            "--stop-after-init",
            "--max-cron-threads=0",
            "--http-port",
            str(free_port()),
        ),
        CACHE_DIR / "logs" / "template.log",
        echo=False,
    )
    if rc or error_lines(lines):
        sys.exit(
            f"Building the template database failed; see {CACHE_DIR}/logs/template.log"
        )
    subprocess.run(
        odoo_command(subcommand="db") + ["rename", building, name],
        check=True,
        capture_output=True,
    )
    return name


def fresh_test_db(template):
    subprocess.run(
        odoo_command(subcommand="db") + ["duplicate", "--force", template, TEST_DB],
        check=True,
        capture_output=True,
    )


class Report:
    def __init__(self, lines):
        self.started = 0
        self.failed = set()
        self.skipped = []
        self.log_errors = []
        for line in lines:
            match = LOG_LINE.match(line)
            if not match:
                continue
            msg, level = match["msg"], match["level"]
            if msg.startswith("Starting ") and ".tests." in match["logger"]:
                self.started += 1
            elif msg.startswith("skipped "):
                self.skipped.append(msg)
            elif level == "ERROR" and msg.startswith(("FAIL:", "ERROR:")):
                self.failed.add(msg.split("\n")[0])
            elif level in ("ERROR", "CRITICAL"):
                self.log_errors.append(line)

    @property
    def passed(self):
        return max(self.started - len(self.failed) - len(self.skipped), 0)

    def problems(self, returncode):
        problems = []
        if returncode:
            problems.append(f"Odoo exited with code {returncode}")
        if not self.started:
            problems.append("no test ran")
        problems += [f"failed: {name}" for name in sorted(self.failed)]
        problems += [f"skipped (not allowed): {msg}" for msg in self.skipped]
        problems += [f"error in the log: {line[:300]}" for line in self.log_errors]
        return problems


def main():
    started = time.time()
    template = ensure_template_db()
    fresh_test_db(template)
    tags = os.environ.get("TEST_TAGS", f"/{MODULE}")
    rc, lines = run_logged(
        odoo_command(
            "-d",
            TEST_DB,
            "-i",
            MODULE,
            "--test-enable",
            f"--test-tags={tags}",
            "--stop-after-init",
            "--max-cron-threads=0",
            "--workers=0",
            "--http-port",
            str(free_port()),
            "--log-level=info",
        ),
        CACHE_DIR / "logs" / "test.log",
        echo=True,
    )
    report = Report(lines)
    problems = report.problems(rc)
    print(f"\n==> Odoo tests finished in {time.time() - started:.0f}s")
    for problem in problems:
        print(f"  - {problem}")
    failed = len(report.failed) or (1 if problems else 0)
    summary = f"{report.passed} {failed} {len(report.skipped)}"
    (CACHE_DIR / "logs" / "summary").write_text(summary + "\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
