"""Account owners assigned by people, recorded as owner_assigned events with the actor."""

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from graphsvc.api.deps import Now, Store
from graphsvc.api.routes.inputs import NoNulParams
from graphsvc.auth.policy import Access
from graphsvc.events.owners import assign_owner
from graphsvc.ingest.models import Actor, Reason

router = APIRouter(prefix="/v1/accounts", tags=["accounts"], dependencies=[NoNulParams])
# Sales managers hand accounts to reps.
ACCESS = Access({"*": ("sales",)})  # who may call these routes (graphsvc.auth.policy)


class OwnerIn(BaseModel):
    owner: Actor = Field(description="The new owner (sales rep).")
    actor: Actor = Field(description="Who assigns it.")
    reason: Reason | None = None


@router.put("/{account_id}/owner", summary="Assign the account's owner (recorded as an owner_assigned event)",
            description="Sets the owner and writes an `owner_assigned` event (from, to, reason, actor) in the same "
            "transaction; the change, with the actor, is listed in `GET /v1/accounts/{id}/history` (`owner_changed`) and "
            "in the account's events (`GET /v1/events?account_id=`). Assigning the current owner changes nothing and "
            "writes no event (`changed: false`). Owners are also assigned automatically by the ruleset's [routing] "
            "when an account reaches MQA or SQL (docs/events.md, Routing); an account with an owner keeps it unless "
            "`keep_current_owner = false`.",
            responses={404: {"description": "Unknown account"},
                       409: {"description": "The owner changed while this was applied; nothing changed"}})
def put_owner(account_id: str, body: OwnerIn, store: Store, now: Now) -> dict[str, Any]:
    return assign_owner(store, account_id, body.owner, body.actor, body.reason, now)
