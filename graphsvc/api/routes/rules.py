"""The active ruleset: read it, or replace it (validated, applied to every account, then activated)."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from graphsvc.api.deps import Now, State
from graphsvc.api.routes.inputs import NoNulParams
from graphsvc.auth.policy import Access
from graphsvc.errors import InvalidInput
from graphsvc.ingest.models import Actor
from graphsvc.lab import service as lab
from graphsvc.qualification import registry
from graphsvc.rules import RulesetError

router = APIRouter(prefix="/v1/rules", tags=["rules"], dependencies=[NoNulParams])
# Everyone who reads readiness or reports needs the agreement behind them; changing it is admin's.
ACCESS = Access({"GET": ("sales", "analyst"), "*": ()})  # who may call these routes (graphsvc.auth.policy)

MAX_TOML_BYTES = 1_000_000  # the default ruleset is ~15 kB


@router.get("", summary="The active ruleset and its version")
def get_rules(state: State) -> dict[str, Any]:
    return registry.active_ruleset_document(state.store)


async def _toml_body(request: Request) -> str:
    """The body as TOML text, whatever Content-Type says: FastAPI would parse a body sent as (or
    without) application/json as JSON, and refuse TOML as "not JSON"."""
    raw = await request.body()
    if len(raw) > MAX_TOML_BYTES:
        raise InvalidInput("the ruleset is invalid; the active ruleset is unchanged",
                           details=[{"path": "", "message": f"larger than {MAX_TOML_BYTES} bytes"}])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput("the ruleset is invalid; the active ruleset is unchanged",
                           details=[{"path": "", "message": f"the body is not UTF-8 text: {exc}"}]) from None


_TOML_BODY = {"required": True, "content": {
    media: {"schema": {"type": "string", "description": "The ruleset, TOML (see GET /v1/rules for the active one)"}}
    for media in ("application/toml", "text/plain")}}


@router.put("", summary="Validate, apply and activate a new ruleset (TOML)",
            description="The body is the ruleset as TOML (`Content-Type: application/toml` or text/plain). Invalid "
            "(including any number that is not finite or outside its documented bounds): 422 listing every error "
            "with its path, nothing changes. Valid: every account is requalified with it, then it becomes active; "
            "the answer says how many changed stage. With `dry_run=true` nothing is written: the answer is that of "
            "`POST /v1/rules/simulate` at now. If that fails midway, the previous ruleset stays active, the "
            "accounts already requalified are requalified back, and the error (500, or 503 while the engine is "
            "unavailable) says so in `details` (`activated`, `active_version`, `restored`).",
            openapi_extra={"requestBody": _TOML_BODY},
            responses={422: {"description": "Every error with its path; the active ruleset is unchanged"},
                       500: {"description": "Applying it failed midway: it was not activated (see `details`)"},
                       503: {"description": "The engine is unavailable: it was not activated (see `details`)"}})
def put_rules(
    state: State,
    now: Now,
    toml: Annotated[str, Depends(_toml_body)],
    actor: Annotated[Actor, Query(description="Who is changing the rules")] = "admin",
    dry_run: Annotated[bool, Query(description="Simulate only (see POST /v1/rules/simulate): nothing written")] = False,
) -> dict[str, Any]:
    if dry_run:
        return lab.simulate(state.store, toml, as_of=now, now=now)
    try:
        rs, result = registry.activate(state.store, toml, actor=actor, now=now,
                                       processes=state.settings.requalify_processes)
    except RulesetError as exc:
        raise InvalidInput("the ruleset is invalid; the active ruleset is unchanged", details=exc.errors) from exc
    return {"version": rs.version, "accounts": result["accounts"], "changed": result["changed"],
            "changes": result["changes"][:100]}
