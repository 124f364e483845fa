"""What the wheel ships: the runtime package and the Cypher it runs, not the dev tooling.

Building a wheel is left to `pip wheel --no-deps -w DIR .` (see CONTRIBUTING.md); these tests check
the configuration that decides its contents, and the error an installed package gives for a
development-only statement.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from graphsvc.store import queries

ROOT = Path(__file__).resolve().parents[1]


def _force_include() -> dict[str, str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return data["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]


def test_every_cypher_folder_is_either_shipped_or_development_only():
    folders = {p.name for p in (ROOT / "cypher").iterdir() if p.is_dir()}
    shipped = {}
    for src, dest in _force_include().items():
        if src.startswith("cypher"):
            assert re.fullmatch(r"cypher/\w+", src), f"force-include {src!r}: pack cypher/ one folder at a time"
            assert dest == "graphsvc/_cypher/" + src.split("/", 1)[1], f"{src!r} packed as {dest!r}"
            shipped[src.split("/", 1)[1]] = dest
    dev = set(queries.DEV_ONLY)
    assert not dev & set(shipped), f"development-only folders packed into the wheel: {sorted(dev & set(shipped))}"
    assert folders == set(shipped) | dev, (
        f"cypher/ folders neither shipped nor development-only: {sorted(folders - set(shipped) - dev)}; "
        f"listed but missing: {sorted((set(shipped) | dev) - folders)}"
    )


def test_the_runtime_package_does_not_import_the_dev_tooling():
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "graphsvc").rglob("*.py")
        if re.search(r"\bgraphsvc_lint\b|tools[/.]cypher", p.read_text(encoding="utf-8"))
    ]
    assert not offenders, f"graphsvc/ must not use the Cypher lint tooling: {offenders}"


def test_development_only_statements_load_from_a_source_checkout():
    assert queries.get("admin/delete_all").params.keys() == {"batch"}
    assert all(queries.get(f"bench/raw_{k}") for k in ("accounts", "contacts", "leads", "activities"))


def test_an_installed_package_names_a_development_only_statement_as_such(tmp_path, monkeypatch):
    packed = tmp_path / "_cypher"  # an installed wheel's copy of cypher/: admin/ and bench/ left out
    monkeypatch.setattr(queries, "cypher_dir", lambda: packed)
    monkeypatch.setattr(
        queries, "load_all", lambda root=None: {"read/counts": queries.parse("read/counts", "RETURN 1")}
    )
    with pytest.raises(KeyError, match="development-only statement .*source checkout"):
        queries.get("admin/delete_all")
    with pytest.raises(KeyError, match="no Cypher statement named 'read/nope'"):
        queries.get("read/nope")


def test_every_dependency_is_pinned_to_one_version():
    """A fresh install (CI, the README's commands) gets the versions the suite and the benchmarks ran
    on: the HTTP stack's own code is a large part of a request's cost, and a new FastAPI or Starlette
    changes it (and its behaviour) without a line of ours changing. Upgrades are deliberate edits."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    loose = [r for r in requirements if not re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[\w.]+(\s*;.*)?", r)]
    assert not loose, f"dependencies not pinned with ==: {loose}"
