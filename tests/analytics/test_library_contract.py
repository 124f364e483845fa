"""Every library query: documented header, runs on an empty graph and on the scenario, and returns
exactly the columns its header documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphsvc.analytics import library
from graphsvc.store import queries

NAMES = library.names()
REQUIRED = {"funnel_now", "funnel_conversion", "stage_velocity", "stuck_mqas", "sql_rejections", "mqa_fallbacks",
            "buying_center_gaps", "assets_before_stage", "campaigns_before_stage", "sla_breaches", "sla_summary",
            "dm_paths"}


def test_the_library_has_the_queries_analysts_need():
    assert REQUIRED <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_header_documents_question_params_and_columns(name):
    q = library.get(name)
    assert len(q.doc) > 60, "say what the query answers"
    assert q.columns, "document the columns (// @column name TYPE doc)"
    for p in q.params.values():
        assert not p.required, f"{p.name}: library parameters need defaults so the query runs as is"
        assert p.doc, f"{p.name}: document the parameter"
    for c in q.columns:
        assert c.doc or c.name in ("name", "stage", "id", "segment", "industry"), f"document column {c.name}"


@pytest.mark.parametrize("name", NAMES)
def test_runs_on_an_empty_graph(runner, name):
    result = runner.run(name)
    assert result.truncated is False
    for row in result.rows:  # aggregations over nothing may still answer one row
        assert list(row) == result.columns


@pytest.mark.parametrize("name", NAMES)
def test_columns_are_the_documented_ones(scenario, runner, name):
    result = runner.run(name, {})
    documented = [c.name for c in library.get(name).columns]
    assert result.rows, f"{name} found nothing in the scenario: the numbers tests would be vacuous"
    for row in result.rows:
        assert list(row) == documented


def test_the_library_is_every_file_of_cypher_analytics():
    """Checked against the files on disk, not against the loader that produced NAMES: a file the
    loader skipped, or a name it invented, fails here."""
    folder = Path(__file__).resolve().parents[2] / "cypher" / "analytics"
    on_disk = sorted(p.stem for p in folder.glob("*.cypher"))
    assert len(on_disk) >= len(REQUIRED)
    assert library.names() == on_disk
    for name in on_disk:
        query = queries.get(f"analytics/{name}")
        assert library.get(name) is query
        assert query.path.resolve() == (folder / f"{name}.cypher").resolve()
        assert query.text == (folder / f"{name}.cypher").read_text(encoding="utf-8")
