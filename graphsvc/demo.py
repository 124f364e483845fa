"""The demo dataset (seeds/demo), shifted so it always looks recent, loaded through ingest."""

from __future__ import annotations

from datetime import UTC, datetime

from graphsvc.ingest.service import IngestService, ingest_rules_from
from graphsvc.loader import LoadReport, Progress, load
from graphsvc.qualification.registry import active_ruleset
from graphsvc.state import AppState


def load_demo_into(state: AppState, progress: Progress | None = None) -> LoadReport:
    from seeds.demo import load_demo

    now = state.clock()
    rows = load_demo(datetime.fromtimestamp(now, tz=UTC))
    return load(IngestService(state.store, ingest_rules_from(active_ruleset(state))), rows, now, progress=progress)
