"""whool, the build backend OCA uses, without the development files in the wheel.

whool packages every file under git control, and this addon's checkout also holds
what develops it (``tools/``, ``.ci/``, the Makefile, the linters' settings). This
backend, named in pyproject.toml (``backend-path = ["tools"]``), lets whool build the
wheel, then removes from it the paths listed under ``[tool.care_network.wheel]
exclude`` in pyproject.toml (a folder ends with ``/``), along with their lines in the
wheel's RECORD. Everything else is whool's own: metadata, version, sdist (which keeps
every file, this one included) and editable installs.
"""

import os
import sys
import zipfile
from pathlib import Path

from whool.buildapi import (  # noqa: F401 (PEP 517 hooks served as whool's)
    build_editable,
    build_sdist,
    prepare_metadata_for_build_editable,
    prepare_metadata_for_build_wheel,
)
from whool.buildapi import build_wheel as whool_build_wheel

if sys.version_info < (3, 11):
    import tomli as tomllib  # whool's own requirement before Python 3.11
else:
    import tomllib


def excluded_paths(addon_dir):
    with open(addon_dir / "pyproject.toml", "rb") as f:
        pyproject = tomllib.load(f)
    return (
        pyproject.get("tool", {})
        .get("care_network", {})
        .get("wheel", {})
        .get("exclude", [])
    )


def is_excluded(name, prefix, excluded):
    """Whether the wheel entry ``name`` is one of the addon's excluded paths."""
    if not name.startswith(prefix):
        return False
    path = name[len(prefix) :]
    return any(
        path.startswith(item) if item.endswith("/") else path == item
        for item in excluded
    )


def addon_prefix(names):
    """The folder the wheel installs the addon in: odoo/addons/<addon>/."""
    for name in names:
        parts = name.split("/")
        if parts[:2] == ["odoo", "addons"] and parts[3:] == ["__manifest__.py"]:
            return "/".join(parts[:3]) + "/"
    raise ValueError("the wheel holds no odoo/addons/<addon>/__manifest__.py")


def strip_wheel(wheel_path, excluded):
    stripped = wheel_path.with_suffix(".tmp")
    with (
        zipfile.ZipFile(wheel_path) as source,
        zipfile.ZipFile(stripped, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        prefix = addon_prefix(source.namelist())
        for info in source.infolist():
            if is_excluded(info.filename, prefix, excluded):
                continue
            data = source.read(info)
            if info.filename.endswith(".dist-info/RECORD"):
                lines = data.decode().splitlines(keepends=True)
                data = "".join(
                    line
                    for line in lines
                    if not is_excluded(line.split(",", 1)[0], prefix, excluded)
                ).encode()
            target.writestr(info, data)
    os.replace(stripped, wheel_path)


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    name = whool_build_wheel(wheel_directory, config_settings, metadata_directory)
    excluded = excluded_paths(Path.cwd())
    if excluded:
        strip_wheel(Path(wheel_directory) / name, excluded)
    return name
