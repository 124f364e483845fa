"""A contact, and sales confirming or removing its buying roles."""

from typing import Any

from fastapi import APIRouter

from graphsvc.api.deps import Ingest, Now, State, Store
from graphsvc.api.routes.inputs import NoNulParams
from graphsvc.auth.policy import Access
from graphsvc.errors import NotFound
from graphsvc.ingest.models import RolesIn
from graphsvc.qualification.registry import requalify_touched
from graphsvc.store import records

router = APIRouter(prefix="/v1", tags=["contacts"], dependencies=[NoNulParams])
ACCESS = Access({"*": ("sales",)})  # who may call these routes (graphsvc.auth.policy)


@router.get("/contacts/{contact_id}", summary="A contact with its account, manager and buying roles",
            responses={404: {"description": "Unknown id"}})
def get_contact(contact_id: str, store: Store) -> dict[str, Any]:
    row = store.contact(contact_id)
    if row is None:
        raise NotFound(f"no contact with id {contact_id!r}")
    return records.contact(row)


@router.put("/contacts/{contact_id}/roles", summary="Sales confirms or removes a contact's buying roles",
            description="Confirmed roles count towards buying-center coverage at once, in the buying group each names "
            "(`buying_group`; a contact can hold different roles in several groups, each group has its own SQL gate: "
            "see `POST /v1/accounts/{id}/groups`); the contact's account is requalified in the same request and `stage_changes` says if its stage moved.",
            responses={404: {"description": "Unknown contact"}, 422: {"description": "Unknown role, or no account"}})
def put_roles(contact_id: str, body: RolesIn, ingest: Ingest, state: State, now: Now) -> dict[str, Any]:
    account_id = ingest.change_roles(contact_id, body, now)
    changes = requalify_touched(state, [account_id] if account_id else [], now)
    return {"contact": records.contact(state.store.contact(contact_id)), "stage_changes": changes}
