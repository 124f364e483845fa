"""The active ruleset: read it, or replace it (validated, applied to every account, then activated)."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from graphsvc.api.deadline import answer_within
from graphsvc.api.deps import Now, State
from graphsvc.api.routes.inputs import NoNulParams
from graphsvc.api.routes.lab import simulation
from graphsvc.api.routes.toml_body import TOML_BODY, toml_body
from graphsvc.auth.policy import Access
from graphsvc.errors import InvalidInput
from graphsvc.ingest.models import Actor
from graphsvc.qualification import registry
from graphsvc.qualification.activations import Activations
from graphsvc.rules import RulesetError

router = APIRouter(prefix="/v1/rules", tags=["rules"], dependencies=[NoNulParams])
# Everyone who reads readiness or reports needs the agreement behind them; changing it is admin's.
ACCESS = Access({"GET": ("sales", "analyst"), "*": ()})  # who may call these routes (graphsvc.auth.policy)


@router.get("", summary="The active ruleset and its version")
def get_rules(state: State) -> dict[str, Any]:
    return registry.active_ruleset_document(state.store)


@router.put("", summary="Validate, apply and activate a new ruleset (TOML)",
            description="The body is the ruleset as TOML (`Content-Type: application/toml` or text/plain). Invalid "
            "(including any number that is not finite or outside its documented bounds): 422 listing every error "
            "with its path, nothing changes. Valid: every account is requalified with it, then it becomes active; "
            "the answer (200) says how many changed stage. An activation still running a few seconds before the "
            "request's deadline (GRAPHSVC_REQUEST_TIMEOUT_S; a minute or more at 100k accounts) is answered 202 as "
            "it is, with `Location: /v1/rules/activations/{id}` to follow it to the same outcome; one more "
            "activation while one runs is 409. With `dry_run=true` nothing is written: the answer is that of "
            "`POST /v1/rules/simulate` at now. If applying fails midway, the previous ruleset stays active, the "
            "accounts already requalified are requalified back, and the error (500, or 503 while the engine is "
            "unavailable) says so in `details` (`activated`, `active_version`, `restored`).",
            openapi_extra={"requestBody": TOML_BODY},
            responses={202: {"description": "Still being applied: the activation, to follow at `Location` (with "
                             "`dry_run=true`: the simulation, at `/v1/rules/simulations/{id}`)"},
                       409: {"description": "Another activation is running (`details.activation`)"},
                       429: {"description": "`dry_run=true` while two rules-lab runs are running in this API process"},
                       422: {"description": "Every error with its path; the active ruleset is unchanged"},
                       500: {"description": "Applying it failed midway: it was not activated (see `details`)"},
                       503: {"description": "The engine is unavailable: it was not activated (see `details`)"}})
def put_rules(
    request: Request,
    response: Response,
    state: State,
    now: Now,
    toml: Annotated[str, Depends(toml_body)],
    actor: Annotated[Actor, Query(description="Who is changing the rules")] = "admin",
    dry_run: Annotated[bool, Query(description="Simulate only (see POST /v1/rules/simulate): nothing written")] = False,
) -> dict[str, Any]:
    if dry_run:  # a simulation at now, answered as POST /v1/rules/simulate answers it
        return simulation(request, response, state, toml, as_of=now, now=now, max_moves=1000)
    try:
        activation = _activations(request).start(state.store, toml, actor=actor, now=now,
                                                  processes=state.settings.requalify_processes)
    except RulesetError as exc:
        raise InvalidInput("the ruleset is invalid; the active ruleset is unchanged", details=exc.errors) from exc
    if activation.ended.wait(answer_within(state.settings.request_timeout_s)):
        return activation.outcome()
    response.status_code = 202
    response.headers["Location"] = f"/v1/rules/activations/{activation.id}"
    return _activations(request).show(state.store, activation.id)


@router.get("/activations/{activation_id}", summary="A ruleset's activation: progress, then its outcome",
            description="`status` is running, done, failed or interrupted. `phase` is `starting`, then `engagement` "
            "while every contact's engagement aggregates are rebuilt for a new half-life (`contacts_done` so far: "
            "minutes at 1M contacts), then `requalify` (`accounts_done` accounts requalified with the new ruleset so "
            "far). Done: `result` is what `PUT /v1/rules` answers (version, accounts, changed, changes). Failed: "
            "`error` is the error it answers (`status` its HTTP status; `details` say which ruleset is active and what "
            "became of the accounts). Interrupted: the API process applying it stopped before it ended (no heartbeat "
            "for a minute); `error` says what that means. Any API worker answers (the record is in the graph); the "
            "last 20 ended activations are kept.")
def get_activation(request: Request, state: State, activation_id: str) -> dict[str, Any]:
    return _activations(request).show(state.store, activation_id)


def _activations(request: Request) -> Activations:
    activations: Activations = request.app.state.rule_activations
    return activations
