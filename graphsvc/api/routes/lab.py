"""The rules lab over HTTP: simulate a candidate ruleset (what-if), backtest rulesets; nothing written."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from graphsvc.api.deps import Now, Store
from graphsvc.api.routes.inputs import NoNulParams

# The TOML body is read exactly as PUT /v1/rules reads it (size limit, UTF-8, any Content-Type).
from graphsvc.api.routes.rules import _TOML_BODY as TOML_BODY
from graphsvc.api.routes.rules import _toml_body as toml_body
from graphsvc.auth.policy import Access
from graphsvc.ingest.models import Days, IdRef, IsoTime
from graphsvc.lab import outcomes, service
from graphsvc.lab.backtest import Outcome

router = APIRouter(prefix="/v1/rules", tags=["rules"], dependencies=[NoNulParams])
# A simulation reads every account and writes nothing: the analysts' work (admin may too).
ACCESS = Access({"*": ("analyst",)})  # who may call these routes (graphsvc.auth.policy)

SIMULATE_DESCRIPTION = (
    "The body is a candidate ruleset as TOML (as for `PUT /v1/rules`). Every account is evaluated under it at "
    "`as_of` (default now) by the same engine and reads as a real activation, and **nothing is written**. The "
    "answer: accounts per stage now vs under the candidate (`stages`), the stage-to-stage matrix (`matrix`: from "
    "-> to -> accounts), MQA and SQL volume per segment, and every account that would move (`moves`, at most "
    "`max_moves`; `moves_total` counts them all) with the engine's reason and the deciding checks: the checks of "
    "the gate it crosses whose verdict differs from the active ruleset's, each with its value and bar under both. "
    "`because_of_candidate` is false for a move the active ruleset would make too (decay since the last "
    "requalification). For a past `as_of` each account starts from the stage its history gave it then. The "
    "accounts are read a page at a time through the analysts' lane, so a simulation never takes the engine "
    "threads ingest and sales use. A simulation is bound by the request deadline (GRAPHSVC_REQUEST_TIMEOUT_S): at "
    "100k accounts it takes about a minute and a half, so use `graphsvc rules simulate` for large graphs. Invalid "
    "TOML: 422 listing every error with its path.")


@router.post("/simulate", summary="What-if: every account under a candidate ruleset, nothing written",
             description=SIMULATE_DESCRIPTION, openapi_extra={"requestBody": TOML_BODY},
             responses={422: {"description": "The candidate is invalid: every error with its path"},
                        408: {"description": "The analysts' lane stayed busy: retry later"}})
def simulate(
    store: Store,
    now: Now,
    toml: Annotated[str, Depends(toml_body)],
    as_of: Annotated[IsoTime | None, Query(description="Evaluate as of this moment (ISO-8601 with timezone); "
                                                       "default now; later than now means now.")] = None,
    max_moves: Annotated[int, Query(ge=0, le=100_000, description="Moving accounts listed at most")] = 1000,
) -> dict[str, Any]:
    return service.simulate(store, toml, as_of=as_of.timestamp() if as_of else now, now=now, max_moves=max_moves)


class OutcomeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    account_id: IdRef
    outcome: Literal["won", "lost"]
    at: IsoTime = Field(description="When it was won or lost, ISO-8601 with a timezone.")


class BacktestIn(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    rulesets: list[Annotated[str, Field(max_length=1_000_000)]] = Field(
        min_length=1, max_length=2, description="One or two rulesets: TOML text, or `active` or `default`.")
    start: IsoTime = Field(alias="from", description="Start of the replay.")
    to: IsoTime = Field(description="End of the replay (not in the future).")
    step_days: Days = 30.0
    horizon_days: Days = 90.0
    outcomes: list[OutcomeIn] | None = Field(default=None, max_length=1_000_000, description=(
        "Won / lost accounts with their time; default: the won and lost transitions recorded in the graph."))


@router.post("/backtest", summary="Replay rulesets over the recorded history and score them against outcomes",
             description="Each ruleset is replayed every `step_days` from `from` to `to` as if it had been active: "
             "each account evaluated from its history at that moment (activities as they happened, buying roles as "
             "they were known), from the stage the same replay gave it before; nothing is written. Per ruleset: SQL "
             "precision and recall for won within `horizon_days`, lift over the base rate, MQA->SQL and SQL->won "
             "conversion, median days from MQA and SQL to won, leakage (won, never MQA) and inflation (SQLs lost). "
             "Definitions: docs/lab.md. Accounts are read a page at a time through the analysts' lane; a long replay "
             "is bound by the request deadline: use `graphsvc rules backtest` for large graphs.",
             responses={422: {"description": "A bad ruleset, period or outcome: each named"},
                        408: {"description": "The analysts' lane stayed busy: retry later"}})
def backtest(body: BacktestIn, store: Store, now: Now) -> list[dict[str, Any]]:
    rulesets = [service.resolve(store, text, f"rulesets[{i}]") for i, text in enumerate(body.rulesets)]
    if body.outcomes is None:
        found = outcomes.recorded_timed(store)
    else:
        found = {o.account_id: Outcome(o.outcome == "won", o.at.timestamp()) for o in body.outcomes}
    return service.backtest(store, rulesets, found, start=body.start.timestamp(), end=body.to.timestamp(),
                            step_s=body.step_days * 86400.0, horizon_s=body.horizon_days * 86400.0, now=now)
