"""Run the addon's Odoo tests on fresh databases and judge the logs strictly.

Three suites, each on a database copied from a cached template:
- demo: the addon's dependencies with demo data;
- without demo: the same without demo data (as a production database is);
- deployment: Odoo's usual apps (sale, account, website, sms, hr, crm, project,
  mass_mailing) without demo data, where the tests tagged ``care_deploy`` run too.
``CARE_TEST_SUITES=demo,nodemo`` runs some of them only (default: all). The suites
run side by side (each keeps about one core busy; ``CARE_TEST_JOBS=1`` runs them one
after the other, with Odoo's output echoed).

A suite fails on any failed or errored test, on any ERROR/CRITICAL log line, on a
skipped test (a browser test that would not run is a defect), and when no test ran.
It ends with one line: ``N passed, N failed, N skipped`` over all the suites.

Invoked by tools/test.sh, which exports the paths below.
"""

import ast
import contextlib
import hashlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(os.environ["REPO_ROOT"])
ODOO_PATH = Path(os.environ["ODOO_PATH"])
CACHE_DIR = Path(os.environ["CACHE_DIR"])
ADDONS_LINK_DIR = Path(os.environ["ADDONS_LINK_DIR"])
TEST_DB = os.environ.get("TEST_DB", "care_network_test")
# axe-core, installed by `tools/setup.sh axe`: the accessibility tests read it here
# (and fail without it).
os.environ.setdefault(
    "CARE_AXE_JS", str(CACHE_DIR / "node-tools/node_modules/axe-core/axe.min.js")
)
MODULE = "care_network"
DEPLOY_APPS = (
    "sale_management",
    "account",
    "website",
    "sms",
    "hr",
    "crm",
    "project",
    "mass_mailing",
)
# Tests that need one of the DEPLOY_APPS carry this tag and not "standard" (a plain
# --test-enable leaves them out): only that suite asks for them.
DEPLOY_TAG = "care_deploy"


@dataclass(frozen=True)
class Suite:
    key: str
    title: str
    apps: tuple = ()
    demo: bool = True
    # Another module's test file, in Odoo's tag syntax (/<module>/tests/<file>.py),
    # run with the addon installed: Odoo's own tests of a module the addon changes.
    other_tests: str = ""

    @property
    def database(self):
        return TEST_DB if self.key == "demo" else f"{TEST_DB}_{self.key}"

    @property
    def log(self):
        name = "test" if self.key == "demo" else f"test-{self.key}"
        if TEST_DB != "care_network_test":  # another checkout's run, side by side
            name = f"{TEST_DB}-{name}"
        return CACHE_DIR / "logs" / f"{name}.log"

    @property
    def test_tags(self):
        default = f"/{MODULE},{DEPLOY_TAG}/{MODULE}" if self.apps else f"/{MODULE}"
        if self.other_tests:
            default += f",{self.other_tests}"
        return os.environ.get("TEST_TAGS", default)

    @property
    def test_file(self):
        """``other_tests`` as --test-file, when the suite's tags name it: that
        module is installed already (not updated), so Odoo would not run its
        tests; --test-file runs them once the addon is loaded (all of the file's
        classes, at_install ones included)."""
        if not self.other_tests or self.other_tests not in self.test_tags.split(","):
            return None
        return (ODOO_PATH / "addons" / self.other_tests.lstrip("/")).resolve()


SUITES = (
    Suite("demo", "with demo data"),
    Suite(
        "nodemo",
        "without demo data",
        demo=False,
        other_tests="/survey/tests/test_survey_security.py",
    ),
    Suite("deploy", "beside Odoo's usual apps, without demo data", DEPLOY_APPS, False),
)

LOG_LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} \d+ (?P<level>[A-Z]+) (?P<db>\S+) "
    r"(?P<logger>[\w.]+): (?P<msg>.*)"
)


def odoo_command(*args, subcommand=None, addons_dir=ADDONS_LINK_DIR):
    """odoo-bin with Odoo's addons and ``addons_dir``, the folder that holds the
    addon as ``care_network`` (None: the addon only from an installed package)."""
    command = [sys.executable, str(ODOO_PATH / "odoo-bin")]
    if subcommand:
        command.append(subcommand)
    folders = (ODOO_PATH / "addons", ODOO_PATH / "odoo/addons", addons_dir)
    addons_path = ",".join(str(path) for path in folders if path)
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


def template_modules(apps=()):
    return sorted({*manifest_depends(), *apps})


def template_db_name(apps=(), demo=True):
    """A database with the addon's dependencies installed, reused between runs."""
    release = (ODOO_PATH / "odoo" / "release.py").read_text()
    key = "|".join(
        [str(ODOO_PATH), release, sys.executable, *template_modules(apps)]
        + ([] if demo else ["without-demo"])
    )
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


def ensure_template_db(apps=(), demo=True):
    name = template_db_name(apps, demo)
    if database_exists(name):
        return name
    building = f"{name}_building"
    modules = template_modules(apps)
    print(
        f"==> Building template database {name} ({', '.join(modules)}"
        f"{'' if demo else ', without demo data'})"
    )
    subprocess.run(
        odoo_command(subcommand="db") + ["drop", building],
        check=False,
        capture_output=True,
    )
    shutil.rmtree(filestore(building), ignore_errors=True)
    rc, lines = run_logged(
        odoo_command(
            "-d",
            building,
            "-i",
            ",".join(modules),
            *([] if demo else ["--without-demo=all"]),
            "--stop-after-init",
            "--max-cron-threads=0",
            "--http-port",
            str(free_port()),
        ),
        CACHE_DIR / "logs" / f"template-{name}.log",
        echo=False,
    )
    if rc or error_lines(lines):
        sys.exit(
            f"Building the template database failed; see "
            f"{CACHE_DIR}/logs/template-{name}.log"
        )
    # A database dropped outside Odoo (dropdb) leaves its files behind, and
    # Odoo's rename keeps such a folder instead of the new one: the template's
    # attachments would have no files.
    shutil.rmtree(filestore(name), ignore_errors=True)
    subprocess.run(
        odoo_command(subcommand="db") + ["rename", building, name],
        check=True,
        capture_output=True,
    )
    return name


def filestore(database):
    return CACHE_DIR / "data" / "filestore" / database


def fresh_test_db(template, database):
    subprocess.run(
        odoo_command(subcommand="db") + ["drop", database],
        check=False,
        capture_output=True,
    )
    shutil.rmtree(filestore(database), ignore_errors=True)  # as in ensure_template_db
    subprocess.run(
        odoo_command(subcommand="db") + ["duplicate", "--force", template, database],
        check=True,
        capture_output=True,
    )


class Report:
    def __init__(self, lines):
        self.started = 0
        self.failed = set()
        self.skipped = []
        self.log_errors = []
        self.notes = []
        for line in lines:
            match = LOG_LINE.match(line)
            if not match:
                continue
            msg, level = match["msg"], match["level"]
            if msg.startswith("Starting ") and ".tests." in match["logger"]:
                self.started += 1
            elif msg.startswith("skipped "):
                self.skipped.append(msg)
            elif msg.startswith("accessibility: "):
                self.notes.append(msg)
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


def run_suite(suite, echo=True):
    """Install the addon with its tests on a fresh copy of the suite's template;
    returns the Report and the problems found."""
    started = time.time()
    template = ensure_template_db(suite.apps, suite.demo)
    fresh_test_db(template, suite.database)
    print(f"==> Tests {suite.title} ({suite.database})", flush=True)
    rc, lines = run_logged(
        odoo_command(
            "-d",
            suite.database,
            "-i",
            MODULE,
            *([] if suite.demo else ["--without-demo=all"]),
            "--test-enable",
            f"--test-tags={suite.test_tags}",
            *([f"--test-file={suite.test_file}"] if suite.test_file else []),
            "--stop-after-init",
            "--max-cron-threads=0",
            "--workers=0",
            "--http-port",
            str(free_port()),
            "--log-level=info",
        ),
        suite.log,
        echo=echo and os.environ.get("CARE_TEST_ECHO", "1") == "1",
    )
    report = Report(lines)
    problems = report.problems(rc)
    counts = (
        f"{report.passed} passed, {len(report.failed)} failed, "
        f"{len(report.skipped)} skipped in {time.time() - started:.0f}s"
    )
    summary = [
        f"\n==> {suite.title}: {counts} (log: {suite.log})",
        *(f"  {note}" for note in report.notes),
        *(f"  - {problem}" for problem in problems),
    ]
    print("\n".join(summary), flush=True)
    return report, problems


def suite_jobs(count):
    """How many suites run at once: CARE_TEST_JOBS, else all of them where the
    machine has two cores or more."""
    wanted = os.environ.get("CARE_TEST_JOBS", "")
    if wanted.isdigit() and int(wanted) > 0:
        return min(int(wanted), count)
    return count if (os.cpu_count() or 1) >= 2 else 1


def selected_suites():
    wanted = os.environ.get("CARE_TEST_SUITES")
    if not wanted:
        return SUITES
    keys = {key.strip() for key in wanted.split(",")}
    unknown = keys - {suite.key for suite in SUITES}
    if unknown:
        sys.exit(f"CARE_TEST_SUITES: unknown suite(s) {', '.join(sorted(unknown))}")
    return tuple(suite for suite in SUITES if suite.key in keys)


def main():
    passed = failed = skipped = 0
    any_problem = False
    suites = selected_suites()
    jobs = suite_jobs(len(suites))
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(lambda suite: run_suite(suite, echo=jobs == 1), suites))
    all_problems = []
    for suite, (report, problems) in zip(suites, results, strict=True):
        all_problems += [f"{suite.key}: {problem}" for problem in problems]
        passed += report.passed
        failed += len(report.failed) or (1 if problems else 0)
        skipped += len(report.skipped)
        any_problem = any_problem or bool(problems)
    (CACHE_DIR / "logs" / "summary").write_text(f"{passed} {failed} {skipped}\n")
    # tools/test.sh repeats them at the very end: a CI page often shows the tail only.
    problems_file = CACHE_DIR / "logs" / "problems"
    problems_file.write_text("".join(f"{problem}\n" for problem in all_problems))
    return 1 if any_problem else 0


if __name__ == "__main__":
    sys.exit(main())
