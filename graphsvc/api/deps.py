"""FastAPI dependencies, as `Annotated` aliases the routes declare in their signatures."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import Depends, Request

from graphsvc.errors import BatchTooLarge
from graphsvc.ingest.service import IngestService, ingest_rules_from
from graphsvc.qualification.registry import active_ruleset
from graphsvc.qualification.service import QualificationService
from graphsvc.state import AppState
from graphsvc.store.graph_store import GraphStore


# The dependencies that do no I/O are `async def`: FastAPI runs a plain `def` dependency in its
# thread pool, a hop to a thread and back for every one of them on every request, under the GIL the
# route's own thread needs (docs/benchmarks.md, "The HTTP stack"). Those that may read the store
# (the active ruleset) stay `def` or defer the read to the route, so a slow engine never blocks the
# event loop.
async def _state(request: Request) -> AppState:
    return request.app.state.graphsvc


async def _store(state: Annotated[AppState, Depends(_state)]) -> GraphStore:
    return state.store


async def _now(state: Annotated[AppState, Depends(_state)]) -> float:
    return state.clock()


def _ingest(state: Annotated[AppState, Depends(_state)]) -> IngestService:
    return IngestService(state.store, ingest_rules_from(active_ruleset(state)))


async def _qualifier(state: Annotated[AppState, Depends(_state)]) -> QualificationService:
    # The active ruleset is read when the route first needs it, in the route's thread, so this
    # dependency does no I/O and needs no thread of its own.
    return QualificationService(state.store, partial(active_ruleset, state))


State = Annotated[AppState, Depends(_state)]
Qualifier = Annotated[QualificationService, Depends(_qualifier)]
Store = Annotated[GraphStore, Depends(_store)]
Now = Annotated[float, Depends(_now)]
Ingest = Annotated[IngestService, Depends(_ingest)]


def batch_limit(key: str):
    """A dependency that answers 413 before the body is validated row by row."""

    async def check(request: Request, state: State) -> None:
        try:
            body = await request.json()
        except Exception:  # noqa: BLE001 - a malformed body is the validator's to report
            return
        rows = body.get(key) if isinstance(body, dict) else None
        limit = state.settings.max_batch
        if isinstance(rows, list) and len(rows) > limit:
            raise BatchTooLarge(
                f"{len(rows)} {key} in one batch; the limit is {limit} (GRAPHSVC_MAX_BATCH): split the batch",
                details={"rows": len(rows), "limit": limit},
            )

    return Depends(check)
