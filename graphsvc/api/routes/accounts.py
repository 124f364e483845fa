"""The ABM board (paged with an opaque cursor) and an account as stored."""

import base64
import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from graphsvc.api.deps import Now, Qualifier, State, Store
from graphsvc.api.routes.inputs import NoNulParams
from graphsvc.auth.policy import Access
from graphsvc.errors import InvalidInput, NotFound
from graphsvc.events.sla import sla_view
from graphsvc.lab import service as lab
from graphsvc.qualification.board import board_page
from graphsvc.qualification.registry import active_ruleset
from graphsvc.rules import sla_status
from graphsvc.store import records

router = APIRouter(prefix="/v1", tags=["accounts"], dependencies=[NoNulParams])
ACCESS = Access({"*": ("sales",)})  # who may call these routes (graphsvc.auth.policy)

MAX_SKIP = 10**9  # a cursor this API issued never pages further


def _cursor(skip: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"skip": skip}).encode()).decode()


def _skip(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        skip = json.loads(base64.urlsafe_b64decode(cursor.encode()))["skip"]
    except Exception:  # noqa: BLE001 - whatever a forged cursor makes the decoder raise, it is not ours
        skip = None
    if type(skip) is not int or not 0 <= skip <= MAX_SKIP:
        raise InvalidInput("invalid cursor", details=[{"row": None, "field": "cursor",
                                                      "message": "not a cursor this API issued"}])
    return skip


@router.get("/accounts", summary="The ABM board: accounts with stage, scores, missing roles and time in stage",
            description="Filtered by stage, segment and minimum MQA score; sorted by a score (highest first), time in "
            "stage (longest first) or name; paged with `cursor` (pass back `next_cursor`). Scores and missing roles "
            "are those of the latest requalification. `sla` (SQL and MQA accounts): the stage's SLA, its due and reminder "
            "times (business hours per the ruleset) and its state: on_time, due_soon or breached. `prediction` per account: the probability of being won and its "
            "top factor from the rules lab's score model; null with `prediction_note` saying why when there is none.")
def board(
    store: Store,
    state: State,
    now: Now,
    q: Qualifier,
    stage: str | None = None,
    segment: str | None = None,
    min_score: Annotated[float | None, Query(ge=0, allow_inf_nan=False)] = None,
    sort: Literal["mqa_score", "engagement", "fit", "stage_since", "name"] = "mqa_score",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: str | None = None,
) -> dict[str, Any]:
    skip = _skip(cursor)
    sla = active_ruleset(state).sla
    items, more = board_page(store, now, stage=stage, segment=segment, min_score=min_score, sort=sort,
                             skip=skip, limit=limit,
                             sla_of=lambda stage_, since: sla_view(sla_status(stage_, since, sla, now)))
    predictions, note = lab.board_predictions(store, q.ruleset, [item["id"] for item in items], now)
    for item in items:
        item["prediction"] = predictions.get(item["id"])
    return {"items": items, "next_cursor": _cursor(skip + limit) if more else None, "prediction_note": note}


@router.get("/accounts/{account_id}", summary="An account as stored", responses={404: {"description": "Unknown id"}})
def get_account(account_id: str, store: Store) -> dict[str, Any]:
    row = store.account(account_id)
    if row is None:
        raise NotFound(f"no account with id {account_id!r}")
    return records.account(row)
