"""The Schemathesis harness (tools/fuzz/run_schemathesis.py) still works: one engine, a few cases.

The full run (both engines, a few thousand cases) is a script, not part of the suite; this keeps its
machinery honest in CI: the server starts with an admin key, every operation is reached, every
check and phase runs, and the API passes them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools" / "fuzz"))

import run_schemathesis  # noqa: E402

pytestmark = pytest.mark.falkordb


def _operations(tmp_path) -> int:
    """Every operation of the app's own OpenAPI document (so a new route needs no edit here)."""
    from graphsvc.api.app import create_app
    from graphsvc.config import Settings

    app = create_app(Settings(data_dir=tmp_path / "openapi", store="falkordb://unused:0"))
    return sum(len(ops) for ops in app.openapi()["paths"].values())


def test_schemathesis_harness_passes_on_falkordb_with_a_few_cases(tmp_path):
    result = run_schemathesis.run_engine(
        "falkordb", max_examples=3, workers=1, seed=8, phases=run_schemathesis.PHASES, time_limit_s=120,
        report_dir=tmp_path / "reports", quiet=True)
    assert result.operations == _operations(tmp_path), result.note or result.output[-3000:]
    assert result.cases > 100, result.output[-3000:]
    assert result.ok, result.line() + "\n" + result.output[-6000:]
