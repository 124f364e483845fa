"""One source of truth per vocabulary: stages, actions and role sources live in
`graphsvc/rules/vocabulary.py`, and everything that names them takes them from there."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import graphsvc
from graphsvc.rules import (
    ACTIONS,
    AUTOMATIC_STAGES,
    FINAL_STAGES,
    PEOPLE_STAGES,
    ROLE_SOURCES,
    STAGES,
    default_ruleset,
)
from graphsvc.rules.transitions import transition_table

PACKAGE = Path(graphsvc.__file__).parent
VOCABULARIES = {"stages": set(STAGES), "actions": set(ACTIONS), "role sources": set(ROLE_SOURCES)}


def test_the_vocabularies():
    assert STAGES == AUTOMATIC_STAGES + PEOPLE_STAGES and len(set(STAGES)) == len(STAGES)
    assert set(FINAL_STAGES) <= set(PEOPLE_STAGES)
    assert ROLE_SOURCES == ("sales", "import", "inferred")


def test_every_user_agrees_with_the_vocabularies():
    from graphsvc.analytics.reports import FUNNEL, SLA_STAGES
    from graphsvc.api.routes.qualification import TransitionIn
    from graphsvc.ingest.models import RoleIn

    assert TransitionIn.model_json_schema()["properties"]["action"]["enum"] == list(ACTIONS)
    assert RoleIn.model_json_schema()["properties"]["source"]["enum"] == list(ROLE_SOURCES)
    assert FUNNEL == ("engaged", "mqa", "sql", "accepted", "opportunity", "won")
    assert set(SLA_STAGES) <= set(AUTOMATIC_STAGES)
    rs = default_ruleset()
    assert set(rs.sql.role_sources) <= set(ROLE_SOURCES)
    assert set(rs.transitions.accept_from) <= set(AUTOMATIC_STAGES)
    table = transition_table(rs)
    assert list(table) == list(ACTIONS)
    assert {s for moves in table.values() for pair in moves.items() for s in pair} <= set(STAGES)


def _copies(path: Path) -> list[str]:
    """Literal tuples, lists and sets (and Literal[...] types) of three or more names from one
    vocabulary: a copy of it."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        elts = None
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            elts = node.elts
        elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Tuple):
            elts = node.slice.elts
        if not elts or not all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in elts):
            continue
        values = [e.value for e in elts]
        for name, vocab in VOCABULARIES.items():
            if len(values) >= 3 and sum(v in vocab for v in values) >= 3:
                found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {name} {values}")
    return found


@pytest.mark.parametrize("path", sorted(p for p in PACKAGE.rglob("*.py") if p.name != "vocabulary.py"),
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_keeps_its_own_copy(path):
    assert _copies(path) == []


def test_the_copy_detector_finds_a_copy():
    f = PACKAGE / "rules" / "vocabulary.py"
    assert len(_copies(f)) >= 3  # the three Literal definitions themselves
