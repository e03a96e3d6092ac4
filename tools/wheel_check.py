"""The addon as a pip package, as OCA ships its addons: build the wheel
``odoo-addon-care_network`` with whool, pip-install it into the virtual
environment, and install the addon on a scratch database with no addons-path
entry for the checkout: Odoo must find it in the installed package. The package
is uninstalled afterwards (installed, it would shadow the checkout).

Invoked by tools/test.sh; prints one line per check and exits non-zero on failure.
"""

import ast
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from odoo_tests import MODULE, REPO_ROOT, ensure_template_db
from scratch import ScratchDb

DISTRIBUTION = f"odoo-addon-{MODULE}"
SCRATCH_DB = f"{MODULE}_wheel"
# What develops the addon stays in the checkout (pyproject.toml's
# [tool.care_network.wheel] exclude, applied by tools/build_backend.py).
DEV_ONLY = ("tools/", ".ci/", "Makefile")

WHERE = """
import json, odoo.addons.care_network as addon
module = env["ir.module.module"].search([("name", "=", "care_network")])
print("WHERE " + json.dumps([module.state, addon.__file__]))
"""


def pip(*args):
    subprocess.run([sys.executable, "-m", "pip", *args], check=True)


def tracked_copy(target):
    """The files git knows (committed or not, untracked but not ignored)."""
    names = subprocess.run(
        ["git", "-C", str(REPO_ROOT), "ls-files", "-co", "--exclude-standard"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    for name in names:
        source = REPO_ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def build_wheel(folder):
    # whool names the package after the folder, so build from one named as the addon.
    source = folder / MODULE
    tracked_copy(source)
    dist = folder / "dist"
    env = dict(os.environ, WHOOL_POST_VERSION_STRATEGY_OVERRIDE="none")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps"]
        + ["--no-build-isolation", "-w", str(dist), str(source)],
        check=True,
        env=env,
    )
    return next(dist.glob("*.whl"))


def manifest_version():
    manifest = ast.literal_eval((REPO_ROOT / "__manifest__.py").read_text())
    return manifest["version"]


def check_contents(wheel):
    """The wheel's version is the manifest's, and it ships no development file."""
    version = wheel.name.split("-")[1]
    if version != manifest_version():
        fail(f"{wheel.name} is not version {manifest_version()} (__manifest__.py)")
    print(f"  ok  the wheel's version is the manifest's ({version})")
    prefix = f"odoo/addons/{MODULE}/"
    names = zipfile.ZipFile(wheel).namelist()
    if f"{prefix}__manifest__.py" not in names:
        fail(f"{wheel.name} holds no {prefix}__manifest__.py")
    shipped = [
        name
        for name in names
        if name.startswith(prefix) and name[len(prefix) :].startswith(DEV_ONLY)
    ]
    if shipped:
        fail(f"{wheel.name} ships development files: {', '.join(shipped[:5])}")
    print("  ok  the wheel ships no tools/ file (nor .ci/, Makefile)")


def fail(message):
    print(f"wheel check FAILED: {message}")
    sys.exit(1)


def main():
    print("==> Wheel check: build with whool, pip install, install from the package")
    folder = Path(tempfile.mkdtemp(prefix="care_network_wheel_"))
    try:
        wheel = build_wheel(folder)
        print(f"  ok  built {wheel.name}")
        check_contents(wheel)
        pip("install", "-q", "--no-deps", "--force-reinstall", str(wheel))
        db = ScratchDb(
            SCRATCH_DB, ensure_template_db(demo=False), "wheel", addons_dir=None
        )
        db.odoo("-i", MODULE, "--stop-after-init", "--without-demo=all")
        state, where = json.loads(db.shell(WHERE, "WHERE "))
        db.expect("installed from the package", state, "installed")
        db.expect(
            "loaded from site-packages, not the checkout",
            "site-packages" in where and str(REPO_ROOT) not in where,
            True,
        )
        db.drop()
    finally:
        subprocess.run(
            [sys.executable, "-m", "pip", "uninstall", "-q", "-y", DISTRIBUTION],
            check=False,
        )
        shutil.rmtree(folder, ignore_errors=True)
    print("wheel check passed")


if __name__ == "__main__":
    main()
