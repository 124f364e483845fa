"""The rules lab over HTTP: simulate a candidate ruleset (what-if), backtest rulesets; nothing written."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from graphsvc.api.deadline import answered_as_run
from graphsvc.api.deps import Now, State
from graphsvc.api.routes.inputs import NoNulParams
from graphsvc.api.routes.toml_body import TOML_BODY, toml_body
from graphsvc.auth.policy import Access
from graphsvc.ingest.models import Days, IdRef, IsoTime
from graphsvc.lab import outcomes, service
from graphsvc.lab.backtest import Outcome
from graphsvc.runs import Run, Runs
from graphsvc.store.records import iso

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
    "threads ingest and sales use. A simulation runs in the background: one still running a few seconds before the "
    "request's deadline (GRAPHSVC_REQUEST_TIMEOUT_S; at 100k accounts it takes about a minute and a half) is "
    "answered 202 as it is, with `Location: /v1/rules/simulations/{id}` to follow it to the same answer. Invalid "
    "TOML: 422 listing every error with its path.")
RUN_RESPONSES: dict[int | str, dict[str, Any]] = {
    202: {"description": "Still running: the run, to follow at `Location`"},
    408: {"description": "The analysts' lane stayed busy: retry later"},
    429: {"description": "Two rules-lab runs are running in this API process already: retry after `Retry-After`"}}


@router.post("/simulate", summary="What-if: every account under a candidate ruleset, nothing written",
             description=SIMULATE_DESCRIPTION, openapi_extra={"requestBody": TOML_BODY},
             responses={**RUN_RESPONSES, 422: {"description": "The candidate is invalid: every error with its path"}})
def simulate(
    request: Request,
    response: Response,
    state: State,
    now: Now,
    toml: Annotated[str, Depends(toml_body)],
    as_of: Annotated[IsoTime | None, Query(description="Evaluate as of this moment (ISO-8601 with timezone); "
                                                       "default now; later than now means now.")] = None,
    max_moves: Annotated[int, Query(ge=0, le=100_000, description="Moving accounts listed at most")] = 1000,
) -> dict[str, Any]:
    return simulation(request, response, state, toml, as_of=as_of.timestamp() if as_of else now, now=now,
                      max_moves=max_moves)


def simulation(request: Request, response: Response, state: State, toml: str, *, as_of: float, now: float,
               max_moves: int) -> Any:
    """A simulation run in the background, answered as its result or (still running near the
    deadline) as the run to follow; `PUT /v1/rules?dry_run=true` answers the same way."""
    version = service.candidate(toml).version  # invalid: the 422 now, nothing started
    store = state.store

    def work(run: Run) -> dict[str, Any]:
        total = store.counts()["accounts"]
        run.progress(0, total, 0)
        return service.simulate(store, toml, as_of=as_of, now=now, max_moves=max_moves,
                                progress=lambda done, moves: run.progress(done, total, moves))

    params = {"candidate_version": version, "as_of": iso(min(as_of, now)), "max_moves": max_moves}
    return _answer(request, response, state, _runs(request).start("simulation", params, "accounts", work))


def _answer(request: Request, response: Response, state: State, run: Run) -> Any:
    runs = _runs(request)
    return run.outcome() if answered_as_run(runs, run, response, state.settings.request_timeout_s) else run.to_dict()


def _runs(request: Request) -> Runs:
    runs: Runs = request.app.state.lab_runs
    return runs


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
             "Definitions: docs/lab.md. Accounts are read a page at a time through the analysts' lane. A backtest runs "
             "in the background: one still running a few seconds before the request's deadline is answered 202 as it "
             "is, with `Location: /v1/rules/backtests/{id}` to follow it to the same answer.",
             responses={**RUN_RESPONSES, 422: {"description": "A bad ruleset, period or outcome: each named"}})
def backtest(body: BacktestIn, request: Request, response: Response, state: State, now: Now) -> Any:
    store = state.store
    rulesets = [service.resolve(store, text, f"rulesets[{i}]") for i, text in enumerate(body.rulesets)]
    start, end = body.start.timestamp(), body.to.timestamp()
    step_s, horizon_s = body.step_days * 86400.0, body.horizon_days * 86400.0
    service.check_period(start=start, end=end, step_s=step_s, horizon_s=horizon_s, now=now)  # 422 now

    def work(run: Run) -> list[dict[str, Any]]:
        found = (outcomes.recorded_timed(store) if body.outcomes is None else
                 {o.account_id: Outcome(o.outcome == "won", o.at.timestamp()) for o in body.outcomes})
        return service.backtest(store, rulesets, found, start=start, end=end, step_s=step_s, horizon_s=horizon_s,
                                now=now, progress=lambda done, total: run.progress(done, total))

    params = {"rulesets": [rs.version for rs in rulesets], "from": iso(start), "to": iso(end),
              "step_days": body.step_days, "horizon_days": body.horizon_days}
    return _answer(request, response, state, _runs(request).start("backtest", params, "steps", work))


RUN_DESCRIPTION = (
    "`status` is running, done, failed or interrupted; `done` of `total` {unit} so far{moves}. Done: `result` is "
    "what `POST /v1/rules/{what}` answers. Failed: `error` is the error it answers (`status` its HTTP status: 408 "
    "when the analysts' lane stayed busy, 503 when the engine went away). Interrupted: the API process running it "
    "stopped (it is shown so once its heartbeat is a minute old); nothing was written, start it again. Any API "
    "worker of the machine answers (the run's record is a file in the data directory); the last 20 ended runs are "
    "kept.")


@router.get("/simulations/{run_id}", summary="A simulation started by POST /v1/rules/simulate: progress, then its "
            "answer", description=RUN_DESCRIPTION.format(unit="accounts", what="simulate",
                                                         moves=", `moves` the moving accounts found so far"))
def get_simulation(request: Request, run_id: str) -> dict[str, Any]:
    return _runs(request).show("simulation", run_id)


@router.get("/backtests/{run_id}", summary="A backtest started by POST /v1/rules/backtest: progress, then its answer",
            description=RUN_DESCRIPTION.format(unit="replay steps (rulesets x moments)", what="backtest", moves=""))
def get_backtest(request: Request, run_id: str) -> dict[str, Any]:
    return _runs(request).show("backtest", run_id)
