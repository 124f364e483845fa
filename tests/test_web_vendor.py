"""The web app's vendored libraries (graphsvc/web/vendor/) are exactly the npm versions the lock file
pins: copied by tools/web-vendor/copy_vendor.py from `npm ci --prefix tools/web-vendor` (which the
README's test command runs). A hand-edited, stale or missing copy fails here."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOL = ROOT / "tools" / "web-vendor"
VENDOR = ROOT / "graphsvc" / "web" / "vendor"

sys.path.insert(0, str(TOOL))
try:
    import copy_vendor
finally:
    sys.path.pop(0)

MANIFEST = json.loads((VENDOR / "MANIFEST.json").read_text())
SHIPPED = [(name, entry) for name, entry in sorted(MANIFEST.items())]


def test_the_manifest_names_every_file_copy_vendor_ships_and_nothing_else():
    expected = {name for files in copy_vendor.FILES.values() for _, name in files}
    assert set(MANIFEST) == expected
    assert {p.name for p in VENDOR.iterdir()} == expected | {"MANIFEST.json"}


@pytest.mark.parametrize(("name", "entry"), SHIPPED, ids=[n for n, _ in SHIPPED])
def test_each_shipped_file_is_the_locked_version(name, entry):
    assert entry["version"] == copy_vendor.locked_versions()[entry["package"]], (
        f"{name} was copied from {entry['package']} {entry['version']}, the lock pins another version: "
        "run `npm ci --prefix tools/web-vendor && python tools/web-vendor/copy_vendor.py`")
    assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == entry["sha256"], f"{name} was edited"


@pytest.mark.parametrize(("name", "entry"), SHIPPED, ids=[n for n, _ in SHIPPED])
def test_each_shipped_file_is_byte_for_byte_the_npm_package_file(name, entry):
    package = TOOL / "node_modules" / entry["package"]
    assert package.is_dir(), "run `npm ci --prefix tools/web-vendor` (the README's test command does)"
    installed = json.loads((package / "package.json").read_text())["version"]
    assert installed == copy_vendor.locked_versions()[entry["package"]], "node_modules is not what the lock pins"
    assert (VENDOR / name).read_bytes() == (package / entry["source"]).read_bytes(), (
        f"{name} differs from {entry['package']}/{entry['source']}: run python tools/web-vendor/copy_vendor.py")
