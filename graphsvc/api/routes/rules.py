"""The active ruleset: read it, or replace it (validated, activated, everything requalified)."""

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query

from graphsvc.api.deps import Now, State
from graphsvc.errors import InvalidInput
from graphsvc.qualification import registry
from graphsvc.qualification.service import QualificationService
from graphsvc.rules.ruleset import RulesetError, default_ruleset_text

router = APIRouter(prefix="/v1/rules", tags=["rules"])


@router.get("", summary="The active ruleset and its version")
def get_rules(state: State) -> dict[str, Any]:
    rs = registry.active_ruleset(state)
    row = state.store.read_one("qualification/active_ruleset")
    return {**rs.to_dict(), "toml": row["toml"] if row else default_ruleset_text(), "default": row is None}


@router.put("", summary="Validate, activate and apply a new ruleset (TOML)",
            description="The body is the ruleset as TOML (`Content-Type: application/toml` or text/plain). Invalid: "
            "422 listing every error with its path, nothing changes. Valid: it becomes active and every account is "
            "requalified; the answer says how many changed stage.",
            responses={422: {"description": "Every error with its path; the active ruleset is unchanged"}})
def put_rules(
    state: State,
    now: Now,
    toml: Annotated[str, Body(media_type="application/toml", description="The ruleset, TOML")],
    actor: Annotated[str, Query(description="Who is changing the rules")] = "admin",
) -> dict[str, Any]:
    try:
        rs = registry.activate(state.store, toml, actor=actor, now=now)
    except RulesetError as exc:
        raise InvalidInput("the ruleset is invalid; the active ruleset is unchanged", details=exc.errors) from exc
    result = QualificationService(state.store, rs).requalify_all(now)
    return {"version": rs.version, "accounts": result["accounts"], "changed": result["changed"],
            "changes": result["changes"][:100]}
