from typing import Any

from fastapi import APIRouter

from graphsvc.api.deps import Store
from graphsvc.errors import NotFound
from graphsvc.store import records

router = APIRouter(prefix="/v1", tags=["accounts"])


@router.get("/accounts/{account_id}", summary="An account as stored", responses={404: {"description": "Unknown id"}})
def get_account(account_id: str, store: Store) -> dict[str, Any]:
    row = store.account(account_id)
    if row is None:
        raise NotFound(f"no account with id {account_id!r}")
    return records.account(row)
