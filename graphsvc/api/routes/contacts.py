from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from graphsvc.api.deps import Now, State, Store
from graphsvc.api.routes.inputs import NoNulParams
from graphsvc.auth.policy import Access
from graphsvc.errors import InvalidInput, NotFound
from graphsvc.ingest.models import Text, text
from graphsvc.ingest.service import group_id
from graphsvc.qualification.registry import active_ruleset, requalify_touched
from graphsvc.store import records

router = APIRouter(prefix="/v1", tags=["contacts"], dependencies=[NoNulParams])
# A contact, confirm its roles.
ACCESS = Access({"*": ("sales",)})  # who may call these routes (graphsvc.auth.policy)


@router.get("/contacts/{contact_id}", summary="A contact with its account, manager and buying roles",
            responses={404: {"description": "Unknown id"}})
def get_contact(contact_id: str, store: Store) -> dict[str, Any]:
    row = store.contact(contact_id)
    if row is None:
        raise NotFound(f"no contact with id {contact_id!r}")
    return records.contact(row)


class RoleChange(BaseModel):
    role: Text
    buying_group: Text | None = Field(default=None, description="Default group when absent.")


class RolesIn(BaseModel):
    confirm: list[RoleChange] = Field(default_factory=list, description="Roles sales confirms (source sales, confidence 1).")
    remove: list[RoleChange] = Field(default_factory=list, description="Stored roles to remove.")
    actor: text(min_length=1, max_length=200)


@router.put("/contacts/{contact_id}/roles", summary="Sales confirms or removes a contact's buying roles",
            description="Confirmed roles count towards buying-center coverage at once; the contact's account is "
            "requalified in the same request and `stage_changes` says if its stage moved.",
            responses={404: {"description": "Unknown contact"}, 422: {"description": "Unknown role, or no account"}})
def put_roles(contact_id: str, body: RolesIn, state: State, now: Now) -> dict[str, Any]:
    row = state.store.contact(contact_id)
    if row is None:
        raise NotFound(f"no contact with id {contact_id!r}")
    account_id = row.get("account_id")
    vocabulary = set(active_ruleset(state).roles.vocabulary)
    errors = [{"field": f"{kind}[{i}].role", "message": f"unknown role {r.role!r}"}
              for kind in ("confirm", "remove") for i, r in enumerate(getattr(body, kind)) if r.role not in vocabulary]
    if not account_id and body.confirm:
        errors.append({"field": "confirm", "message": "the contact has no account, so it has no buying center"})
    if errors:
        raise InvalidInput("invalid role change; nothing was written", details=errors)
    state.store.change_roles(
        remove=[{"contact_id": contact_id, "role": r.role,
                 "group_id": group_id(account_id, r.buying_group) if r.buying_group and account_id else None}
                for r in body.remove],
        confirm=[{"contact_id": contact_id, "account_id": account_id, "group_id": group_id(account_id, r.buying_group),
                  "group_name": r.buying_group or "default", "role": r.role, "source": "sales", "confidence": 1.0}
                 for r in body.confirm],
        now=now,
        actor=body.actor,
    )
    changes = requalify_touched(state, [account_id] if account_id else [], now)
    return {"contact": records.contact(state.store.contact(contact_id)), "stage_changes": changes}
