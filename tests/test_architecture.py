"""Dependencies point one way, with no cycles: the contracts of [tool.importlinter] in pyproject.toml.

CLI -> HTTP -> services (qualification, ingest, analytics, auth; independent of each other) ->
state -> store -> executors; the rules engine depends on no other graphsvc package; no package's
modules import each other in a circle. `lint-imports` checks the contracts; these tests run it, check
that the contracts name every top-level module (a new one must be placed), and that a violation
does break them (a check that cannot fail keeps nothing).
"""

from __future__ import annotations

import os
import pkgutil
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import graphsvc

ROOT = Path(__file__).resolve().parents[1]
LINT = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True, no_logo=True))"


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` over the packages and pyproject.toml found in `root`."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([sys.executable, "-c", LINT], cwd=root, env=env, capture_output=True, text=True, check=False,
                          timeout=120)


def _contracts() -> list[dict]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return data["tool"]["importlinter"]["contracts"]


def _top_level_modules() -> set[str]:
    return {f"graphsvc.{m.name}" for m in pkgutil.iter_modules(graphsvc.__path__) if not m.name.startswith("_")}


def test_the_import_contracts_are_kept():
    done = _lint(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_every_top_level_module_has_a_layer():
    layers = next(c for c in _contracts() if c["type"] == "layers" and not c.get("containers"))["layers"]
    placed = {name.strip() for layer in layers for name in layer.split("|")}
    assert placed == _top_level_modules()


def test_the_rules_engine_is_forbidden_every_other_module():
    rules = next(c for c in _contracts() if c["type"] == "forbidden" and c["source_modules"] == ["graphsvc.rules"])
    assert set(rules["forbidden_modules"]) == _top_level_modules() - {"graphsvc.rules"} | {"seeds"}


def test_a_violation_breaks_the_contracts(tmp_path):
    for package in ("graphsvc", "seeds"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    engine = tmp_path / "graphsvc" / "rules" / "engine.py"
    engine.write_text(engine.read_text(encoding="utf-8") + "\nfrom graphsvc.store import records  # noqa\n",
                      encoding="utf-8")
    done = _lint(tmp_path)
    assert done.returncode != 0, done.stdout + done.stderr
    assert "graphsvc.rules.engine -> graphsvc.store.records" in done.stdout
    assert "The rules engine depends on no other graphsvc package BROKEN" in done.stdout
