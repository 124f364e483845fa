"""The demo dataset (seeds/demo), shifted so it always looks recent, loaded through ingest, and its
year of history replayed (graphsvc/lab/history.py): the CRM's opportunities and the stage changes
the active ruleset would have made, weekly, at their historical dates."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from graphsvc.ingest.service import IngestService, ingest_rules_from
from graphsvc.loader import LoadReport, Progress, load
from graphsvc.qualification.registry import active_ruleset
from graphsvc.state import AppState

HISTORY_DAYS = 364  # 52 weekly steps up to now
STEP_DAYS = 7


def replay_history(state: AppState, opportunities: list[dict[str, Any]], now: float,
                   progress: Callable[[int, int], None] | None = None) -> dict[str, int]:
    from graphsvc.lab.history import replay_into

    day = 86_400.0
    return replay_into(state.store, active_ruleset(state), opportunities, start=now - HISTORY_DAYS * day, end=now,
                       step_s=STEP_DAYS * day, now=now, progress=progress)


def load_demo_into(state: AppState, progress: Progress | None = None, *, history: bool = True) -> LoadReport:
    from seeds.demo import load_demo

    now = state.clock()
    rows = load_demo(datetime.fromtimestamp(now, tz=UTC))
    opportunities = rows.pop("opportunities", [])
    report = load(IngestService(state.store, ingest_rules_from(active_ruleset(state))), rows, now, progress=progress)
    from graphsvc.lab.history import write_opportunities

    report.rows["opportunities"] = write_opportunities(state.store, opportunities, now)
    if history:
        started = time.monotonic()
        out = replay_history(state, opportunities, now,
                             progress=(lambda done, total: progress("history weeks", done, time.monotonic() - started))
                             if progress else None)
        report.stage_changes += out["changes"]
        report.seconds += time.monotonic() - started
    return report
