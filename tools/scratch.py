"""A scratch database for the checks that run after the Odoo tests (uninstall,
upgrade, wheel): odoo-bin and `odoo-bin shell` on it, and one line per check."""

import subprocess
import sys

from odoo_tests import ADDONS_LINK_DIR, CACHE_DIR, error_lines, odoo_command, run_logged


class ScratchDb:
    def __init__(self, name, template, check_name, addons_dir=ADDONS_LINK_DIR):
        self.name = name
        self.check_name = check_name
        self.addons_dir = addons_dir
        self.log = CACHE_DIR / "logs" / f"{check_name}.log"
        if template:
            subprocess.run(
                odoo_command(subcommand="db")
                + ["duplicate", "--force", template, self.name],
                check=True,
                capture_output=True,
            )

    @classmethod
    def existing(cls, name, check_name, addons_dir=ADDONS_LINK_DIR):
        """The same database, seen with another addons folder."""
        return cls(name, None, check_name, addons_dir)

    def odoo(self, *args):
        rc, lines = run_logged(
            odoo_command(
                "-d",
                self.name,
                "--max-cron-threads=0",
                "--no-http",
                *args,
                addons_dir=self.addons_dir,
            ),
            self.log,
            echo=False,
        )
        if rc or error_lines(lines):
            self.fail(f"odoo-bin {' '.join(args)} failed (log: {self.log})", lines)
        return lines

    def shell(self, script, marker):
        result = subprocess.run(
            odoo_command(
                "-d",
                self.name,
                "--no-http",
                "--log-level=warn",
                subcommand="shell",
                addons_dir=self.addons_dir,
            ),
            input=script,
            capture_output=True,
            text=True,
            check=False,
        )
        output = result.stdout + result.stderr
        for line in output.splitlines():
            if line.startswith(marker):
                return line[len(marker) :].strip()
        self.fail(f"shell script printed no {marker.strip()} line", output.splitlines())
        return None

    def fail(self, message, lines=()):
        print(f"{self.check_name} check FAILED: {message}")
        for line in list(lines)[-30:]:
            print(f"    {line}")
        sys.exit(1)

    def expect(self, what, actual, expected):
        if actual != expected:
            self.fail(f"{what}: expected {expected!r}, got {actual!r}")
        print(f"  ok  {what}")

    def drop(self):
        subprocess.run(
            odoo_command(subcommand="db") + ["drop", self.name],
            check=False,
            capture_output=True,
        )
