"""Fixtures of the library tests: the hand-built graph (scenario.py) and a runner on it."""

from __future__ import annotations

import pytest
from conftest import NOW

from graphsvc.analytics.runner import Context, Runner

from .scenario import build


@pytest.fixture
def scenario(store):
    return build(store)


@pytest.fixture
def runner(store) -> Runner:
    return Runner(store, Context(now=NOW, sql_sla_hours=24.0, mqa_sla_hours=72.0), timeout_s=10.0, row_limit=10_000)
