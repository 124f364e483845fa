from typing import Any

from fastapi import APIRouter

from graphsvc.api.deps import Store
from graphsvc.errors import NotFound
from graphsvc.store import records

router = APIRouter(prefix="/v1", tags=["contacts"])


@router.get("/contacts/{contact_id}", summary="A contact with its account, manager and buying roles",
            responses={404: {"description": "Unknown id"}})
def get_contact(contact_id: str, store: Store) -> dict[str, Any]:
    row = store.contact(contact_id)
    if row is None:
        raise NotFound(f"no contact with id {contact_id!r}")
    return records.contact(row)
