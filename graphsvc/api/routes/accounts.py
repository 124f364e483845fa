"""The ABM board (paged with an opaque cursor) and an account as stored."""

import base64
import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from graphsvc.api.deps import Now, Qualifier, State, Store
from graphsvc.api.routes.inputs import NoNulParams
from graphsvc.api.routes.outputs import json_response
from graphsvc.auth.policy import Access
from graphsvc.errors import InvalidInput, NotFound
from graphsvc.events.sla import sla_view
from graphsvc.lab import service as lab
from graphsvc.qualification.board import board_page, with_subsidiaries
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


def _text_filter(value: str | None) -> str | None:
    return value if value else None  # an empty filter field of a form means "any"


@router.get("/accounts", response_model=dict[str, Any], summary="The ABM board: accounts with stage, scores, missing roles and time in stage",
            description="Filtered by stage, segment, industry, owner, a missing buying role, a search over name and "
            "domain (`q`, case-insensitive substring) and minimum MQA score; sorted by a score (highest first), time "
            "in stage (longest first) or name; ties by id from the highest by MQA score and engagement and from the "
            "lowest by name, by the account's creation number by fit (newest first) and time in stage (oldest first; "
            "accounts older than 2026-12-03 were numbered in id order); "
            "paged with `cursor` (pass back `next_cursor`). Scores and missing "
            "roles are those of the latest requalification. `sla` is set for SQLs and MQAs: the hours sales has to "
            "act under the active ruleset (`[sla]`), when that time is up (`due_at`), its reminder time and state "
            "(on_time, due_soon, breached; business hours per the ruleset); null for other stages. `prediction` per "
            "account: the probability of being won and its top factor from the rules lab's score model; null with "
            "`prediction_note` saying why when there is none. `group_by=parent` adds to every row its `parent_id`, its "
            "`subsidiaries` (every account below it, level 1 = direct, with stage and MQA score) and "
            "`subsidiary_stages` (count per stage): a parent with its subsidiaries' stages. Without it the rows are "
            "as they were.")
def board(
    store: Store,
    state: State,
    now: Now,
    qualifier: Qualifier,
    stage: str | None = None,
    segment: str | None = None,
    industry: str | None = None,
    owner: str | None = None,
    missing_role: Annotated[str | None, Query(description="Only accounts missing this buying role.")] = None,
    q: Annotated[str | None, Query(max_length=200, description="Search: part of the name or the domain, any case.")]
    = None,
    min_score: Annotated[float | None, Query(ge=0, allow_inf_nan=False)] = None,
    sort: Literal["mqa_score", "engagement", "fit", "stage_since", "name"] = "mqa_score",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: str | None = None,
    group_by: Annotated[Literal["parent"] | None, Query(
        description="`parent`: every row also lists its subsidiaries with their stages, and its parent.")] = None,
) -> Response:
    skip = _skip(cursor)
    search = _text_filter(q.strip().lower() if q else None)
    sla = active_ruleset(state).sla
    items, more = board_page(store, now, stage=_text_filter(stage), segment=_text_filter(segment),
                             industry=_text_filter(industry), owner=_text_filter(owner),
                             missing_role=_text_filter(missing_role), q=search, min_score=min_score, sort=sort,
                             skip=skip, limit=limit,
                             sla_of=lambda stage_, since: sla_view(sla_status(stage_, since, sla, now)))
    predictions, note = lab.board_predictions(store, qualifier.ruleset, [item["id"] for item in items], now)
    for item in items:
        item["prediction"] = predictions.get(item["id"])
    if group_by == "parent":
        items = with_subsidiaries(store, items)
    return json_response({"items": items, "next_cursor": _cursor(skip + limit) if more else None,
                          "prediction_note": note})


@router.get("/accounts/{account_id}", summary="An account as stored", responses={404: {"description": "Unknown id"}})
def get_account(account_id: str, store: Store) -> dict[str, Any]:
    row = store.account(account_id)
    if row is None:
        raise NotFound(f"no account with id {account_id!r}")
    return records.account(row)
