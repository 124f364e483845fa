"""The analysts' Cypher library over HTTP: list the documented queries, run one with parameters."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends
from pydantic import BaseModel, Field

from graphsvc.analytics import library
from graphsvc.analytics.runner import Context, Runner
from graphsvc.api.deps import Now, State
from graphsvc.api.routes.inputs import NoNulParams, check_json_params
from graphsvc.auth.policy import Access
from graphsvc.qualification.registry import active_ruleset

router = APIRouter(prefix="/v1/queries", tags=["analytics"], dependencies=[NoNulParams])
ACCESS = Access({"*": ("analyst",)})  # who may call these routes (graphsvc.auth.policy)


def _runner(state: State, now: Now) -> Runner:
    settings = state.settings
    return Runner(state.store, Context.of(now, active_ruleset(state)),
                  timeout_s=settings.query_timeout_s, row_limit=settings.query_row_limit)


AnalyticsRunner = Annotated[Runner, Depends(_runner)]


class RunIn(BaseModel):
    params: dict[str, Any] = Field(default_factory=dict, description="Parameters by name, as documented.")


@router.get("", summary="The Cypher library: every query with what it answers, its parameters and columns")
def list_queries() -> list[dict[str, Any]]:
    return [library.describe(library.get(n)) for n in library.names()]


@router.get("/{name}", summary="One library query's documentation and Cypher",
            responses={404: {"description": "No such query"}})
def get_query(name: str) -> dict[str, Any]:
    query = library.get(name)
    return {**library.describe(query), "cypher": query.text}


@router.post("/{name}", summary="Run a library query",
             description="Parameters are checked against the query's documented ones: an unknown name, a wrong "
             "type or a value outside a documented list is a 422 naming each. Times documented in epoch seconds "
             "also take ISO-8601 with a timezone; `now` defaults to the service clock and SLA hours to the active "
             "ruleset. Read-only, with the ad-hoc query timeout and row limit (`truncated` says when rows were cut).",
             responses={404: {"description": "No such query"}, 408: {"description": "Ran past the timeout"},
                        422: {"description": "Bad parameters"}})
def run_query(name: str, runner: AnalyticsRunner, body: Annotated[RunIn | None, Body()] = None) -> dict[str, Any]:
    params = body.params if body else {}
    check_json_params(params)  # values neither engine can take as they are: 422 naming each
    return runner.run(name, params).to_dict()
