"""Load rows (the demo dataset, a generated one) through the ingest service, in batches.

Loading goes through the same validation and statements as the HTTP API, so seeded data is held
to the same rules as ingested data. Progress is reported through a callback (the CLI prints it).

A batch the engine could not take (`StoreUnavailable`: nothing acknowledged) is sent again, with
backoff, for up to `retry_for_s` (`graphsvc.store.resend`), as an API client would after a 503:
ingest is idempotent by id, so a batch sent twice is stored once. On a large embedded FalkorDB,
Redis's automatic AOF rewrite makes the engine answer BUSY while it prepares its fork, longer than
the executor's own BUSY budget (6.5 s at 100k accounts and 7.4M activities; the executor waited
5 s, 15 s now): a 40-minute load died of one such window before this (docs/benchmarks.md, "100k
again").
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from itertools import islice
from typing import Any

from graphsvc.ingest import models as m
from graphsvc.ingest.service import IngestService
from graphsvc.store.resend import resend

log = logging.getLogger(__name__)

KINDS = ("accounts", "contacts", "leads", "activities")
_MODELS = {"accounts": m.AccountIn, "contacts": m.ContactIn, "leads": m.LeadIn, "activities": m.ActivityIn}

Progress = Callable[[str, int, float], None]  # kind, rows done, seconds elapsed


@dataclass
class LoadReport:
    rows: dict[str, int]
    seconds: float
    stage_changes: int = 0


def batched(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


def managers_first(contacts: Iterable[dict]) -> Iterator[dict]:
    """Within each run of one account's contacts, put managers before their reports, so a batch
    never names a manager that only a later batch creates."""
    group: list[dict] = []
    current = object()
    for row in contacts:
        if row.get("account_id") != current and group:
            yield from _topological(group)
            group = []
        current = row.get("account_id")
        group.append(row)
    yield from _topological(group)


def _topological(rows: list[dict]) -> list[dict]:
    by_id = {r["id"]: r for r in rows}
    done: set[str] = set()
    out: list[dict] = []

    def visit(r: dict, path: set[str]) -> None:
        if r["id"] in done or r["id"] in path:
            return
        boss = by_id.get(r.get("reports_to") or "")
        if boss is not None:
            visit(boss, path | {r["id"]})
        done.add(r["id"])
        out.append(r)

    for r in rows:
        visit(r, set())
    return out


def load(
    ingest: IngestService,
    data: dict[str, Iterable[dict]],
    now: float,
    *,
    batch_size: int = 2_000,
    progress: Progress | None = None,
    on_activities: Callable[[list[str], float], int] | None = None,
    retry_for_s: float = 300.0,
) -> LoadReport:
    """Ingest `data` kind by kind (accounts, contacts, leads, activities). Into an empty graph, the
    engagement aggregates are kept from the first activity (`IngestService.engagement_from_start`).
    A batch answered `StoreUnavailable` is sent again for up to `retry_for_s` (0: never)."""
    start = time.monotonic()
    _with_retries(ingest.engagement_from_start, retry_for_s, "engagement index", 0)
    counts: dict[str, int] = {}
    changes = 0
    for kind in KINDS:
        rows = data.get(kind) or ()
        if kind == "contacts":
            rows = managers_first(rows)
        model = _MODELS[kind]
        done = 0
        for chunk in batched(rows, batch_size):
            parsed = [model.model_validate(r) for r in chunk]
            result = _with_retries(partial(getattr(ingest, kind), parsed, now), retry_for_s, kind, done)
            if kind == "activities" and on_activities:  # a requalification: as safe to run again
                changes += _with_retries(partial(on_activities, result.accounts_touched, now), retry_for_s,
                                         "requalification", done)
            done += len(chunk)
            if progress:
                progress(kind, done, time.monotonic() - start)
        counts[kind] = done
    return LoadReport(rows=counts, seconds=time.monotonic() - start, stage_changes=changes)


def _with_retries(send: Callable[[], Any], retry_for_s: float, kind: str, done: int) -> Any:
    return resend(send, retry_for_s, f"{kind} after row {done:,}", log)
