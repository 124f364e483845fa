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


# -- public surface ------------------------------------------------------------------------------
# Every module of these packages says what it offers (`__all__`); code in other modules of the
# service uses only that. Tests may reach further (a private helper under test).
DECLARED = ("store", "ingest", "qualification", "analytics", "identity")


def _module_all(path: Path) -> list[str] | None:
    import ast

    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            return list(ast.literal_eval(node.value))
    return None


def _module_path(name: str) -> Path | None:
    base = ROOT.joinpath(*name.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.exists():
            return path
    return None


def _reaches_around(sources: list[Path]) -> list[str]:
    """`from M import name` where M declares `__all__` without `name` (imports of submodules aside)."""
    import ast

    bad = []
    for src in sources:
        for node in ast.walk(ast.parse(src.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.ImportFrom) and node.level == 0 and node.module):
                continue
            target = _module_path(node.module)
            if target is None or target.resolve() == src.resolve():
                continue
            public = _module_all(target)
            for alias in node.names if public is not None else ():
                if alias.name not in public and _module_path(f"{node.module}.{alias.name}") is None:
                    bad.append(f"{_shown(src)}: from {node.module} import {alias.name}")
    return bad


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def test_every_service_and_store_module_declares_its_public_names():
    missing = [str(p.relative_to(ROOT)) for pkg in DECLARED for p in sorted((ROOT / "graphsvc" / pkg).glob("*.py"))
               if p.name != "__init__.py" and _module_all(p) is None]
    assert not missing, f"modules without __all__: {missing}"


def test_the_service_imports_only_public_names():
    sources = sorted(p for d in ("graphsvc", "seeds") for p in (ROOT / d).rglob("*.py"))
    assert not _reaches_around(sources)


def test_reaching_around_a_public_surface_is_found(tmp_path):
    src = tmp_path / "user.py"
    src.write_text("from graphsvc.store.graph_store import _token\nfrom graphsvc.store.graph_store import GraphStore\n")
    assert _reaches_around([src]) == [f"{src}: from graphsvc.store.graph_store import _token"]
