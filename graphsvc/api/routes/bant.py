"""Sales records BANT (budget, authority, need, timeline) per buying group, and sees an account's
hierarchy with its subsidiaries' stages (issue 15)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from graphsvc.api.deps import Now, Qualifier, State, Store
from graphsvc.api.routes.inputs import NoNulParams
from graphsvc.auth.policy import Access
from graphsvc.errors import InvalidInput
from graphsvc.ingest.models import Actor, Reason, Text
from graphsvc.qualification.bant import BANT_FIELDS, record_bant
from graphsvc.qualification.groups import create_group, list_groups
from graphsvc.qualification.hierarchy import hierarchy
from graphsvc.qualification.registry import requalify_touched
from graphsvc.store import records

router = APIRouter(prefix="/v1", tags=["qualification"], dependencies=[NoNulParams])
ACCESS = Access({"*": ("sales",)})  # who may call these routes (graphsvc.auth.policy)


class BantValue(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # strict: 0 / "yes" are not a yes or a no (the fuzzer reached this once a group could be created)
    met: bool = Field(strict=True, description="Whether sales confirmed it (true) or found it lacking (false).")
    note: Reason | None = Field(default=None, description="What sales learned, e.g. 'budget approved for Q3'.")


class BantIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    budget: BantValue | None = None
    authority: BantValue | None = None
    need: BantValue | None = None
    timeline: BantValue | None = None
    actor: Actor = Field(description="Who records it (kept with each field).")


@router.put("/accounts/{account_id}/groups/{group}/bant",
            summary="Sales records budget, authority, need and timeline for a buying group",
            description="Only the fields given change; each keeps who recorded it and when. The ruleset says which "
            "fields an SQL requires per segment and size (`[sql] bant`, `[[sql.bant_rules]]`; none by default); "
            "readiness shows each required one as a `bant:<field>` check, read from the `default` group. The "
            "account is requalified in the same request.",
            responses={404: {"description": "Unknown account, or no buying group of that name on it"},
                       422: {"description": "No field given, or a bad value"}})
def put_bant(account_id: str, group: str, body: BantIn, state: State, now: Now) -> dict[str, Any]:
    given = {f: (v.met, v.note) for f in BANT_FIELDS if (v := getattr(body, f)) is not None}
    if not given:
        raise InvalidInput("give at least one of budget, authority, need, timeline",
                           details=[{"row": None, "field": "body", "message": "no BANT field given"}])
    recorded = record_bant(state.store, account_id, group, given, body.actor, now)
    changes = requalify_touched(state, [account_id], now)
    return {"account_id": account_id, "group": group, "bant": records.iso_times(recorded), "stage_changes": changes}


@router.get("/accounts/{account_id}/hierarchy", summary="An account with its parents and subsidiaries, and their stages",
            description="`ancestors` nearest first (level 1 = the parent); `subsidiaries` every account below it "
            "(level 1 = direct, with `parent_id`); `stages` counts the stages of the account and everything below it.",
            responses={404: {"description": "Unknown account"}})
def get_hierarchy(account_id: str, store: Store) -> dict[str, Any]:
    return hierarchy(store, account_id)


class GroupIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Text = Field(min_length=1, max_length=200, description="The initiative, opportunity or product line, e.g. "
                       "'RF test system 2027'. Roles given with this `buying_group` land in it.")
    kind: Text | None = Field(default=None, max_length=200, description="Product line / initiative type: "
                              "`[[sql.extra_roles]]` and `[[sql.bant_rules]]` rules with this `kind` apply to the group.")
    actor: Actor = Field(description="Who creates it.")


@router.post("/accounts/{account_id}/groups", status_code=201,
             summary="Create a buying group for an initiative, opportunity or product line",
             description="Each buying group has its own SQL gate: the roles held in it (assign them with "
             "`buying_group` on `POST /v1/contacts` roles or `PUT /v1/contacts/{id}/roles`), the required roles of "
             "the ruleset (plus `[[sql.extra_roles]]` with its `kind`), an intent signal from one of its members "
             "(`[groups] intent`) and its BANT. The account is an SQL when one group qualifies. Creating an existing "
             "group (same name up to case and punctuation) sets its kind if given and answers `created: false`. "
             "The account is requalified in the same request.",
             responses={404: {"description": "Unknown account"}, 422: {"description": "A bad name or kind"}})
def post_group(account_id: str, body: GroupIn, state: State, now: Now) -> dict[str, Any]:
    group = create_group(state.store, account_id, body.name, body.kind, body.actor, now)
    changes = requalify_touched(state, [account_id], now)
    return {"account_id": account_id, **group, "stage_changes": changes}


@router.get("/accounts/{account_id}/groups", summary="An account's buying groups, their members and SQL gates",
            description="`default` first, then by name: each with its kind, its members' roles, and as the engine sees "
            "it now its required and missing roles, whether its SQL gate passes and the failing checks. "
            "`qualified_group` names the group the account's SQL went by (null when none qualifies).",
            responses={404: {"description": "Unknown account"}})
def get_groups(account_id: str, qualifier: Qualifier, now: Now) -> dict[str, Any]:
    return list_groups(qualifier, account_id, now)
