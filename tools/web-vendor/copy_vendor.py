"""Copy the web app's third-party libraries from node_modules (installed from package-lock.json by
`npm ci --prefix tools/web-vendor`) into the package, graphsvc/web/vendor/, with their licences and a
MANIFEST.json naming each file's package, version and sha256.

The page loads these files as they are (no build step), so the package needs no Node at run time;
tests/test_web_vendor.py fails when a shipped file differs from the locked npm version.

    npm ci --prefix tools/web-vendor && python tools/web-vendor/copy_vendor.py
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
MODULES = HERE / "node_modules"
VENDOR = ROOT / "graphsvc" / "web" / "vendor"

# package -> (file in the package, name shipped): the self-contained UMD builds, which define the
# globals `cytoscape` and `Chart` (chart.js's ES module build imports @kurkle/color by bare name).
FILES = {
    "cytoscape": [("dist/cytoscape.min.js", "cytoscape.min.js"), ("LICENSE", "cytoscape.LICENSE.txt")],
    "chart.js": [("dist/chart.umd.min.js", "chart.umd.min.js"), ("LICENSE.md", "chart.js.LICENSE.txt")],
}


def locked_versions() -> dict[str, str]:
    lock = json.loads((HERE / "package-lock.json").read_text())
    return {name: lock["packages"][f"node_modules/{name}"]["version"] for name in FILES}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> int:
    versions = locked_versions()
    manifest: dict[str, dict[str, str]] = {}
    VENDOR.mkdir(parents=True, exist_ok=True)
    for package, files in FILES.items():
        installed = json.loads((MODULES / package / "package.json").read_text())["version"]
        if installed != versions[package]:
            print(f"{package} {installed} is installed but the lock says {versions[package]}: "
                  "run `npm ci --prefix tools/web-vendor`", file=sys.stderr)
            return 1
        for source, name in files:
            shutil.copyfile(MODULES / package / source, VENDOR / name)
            manifest[name] = {"package": package, "version": installed, "source": source,
                              "sha256": sha256(VENDOR / name)}
    (VENDOR / "MANIFEST.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    print(f"copied {len(manifest)} files into {VENDOR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
