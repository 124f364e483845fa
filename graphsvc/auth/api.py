"""Key management over HTTP (admin): list, create, revoke. Secrets are shown once, at creation."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from graphsvc.auth.keys import KeyStore
from graphsvc.auth.policy import Access, OpenModeRefused
from graphsvc.errors import NotFound

router = APIRouter(prefix="/v1/keys", tags=["keys"])
# Keys: admin only.
ACCESS = Access({"*": ()})  # who may call these routes (graphsvc.auth.policy)


def _keystore(request: Request) -> KeyStore:
    keystore: KeyStore = request.app.state.keystore
    return keystore


Keys = Annotated[KeyStore, Depends(_keystore)]


class KeyIn(BaseModel):
    roles: list[Literal["ingest", "sales", "analyst", "admin"]] = Field(min_length=1)
    label: str | None = Field(default=None, max_length=200, description="Who or what uses the key.")


@router.get("", summary="The API keys (ids, roles, labels; never the secrets)")
def list_keys(keys: Keys) -> list[dict[str, Any]]:
    return [k.public() for k in keys.keys()]


FIRST_KEY_BY_CLI = (
    "no API keys are configured yet, and the first one cannot be made over HTTP (any web page could make it "
    "through your browser); create it on the service's machine with `graphsvc keys create --role admin`, "
    "then manage keys here with that admin key"
)


@router.post("", status_code=201, summary="Create a key; the secret is in this answer only",
             description="Needs an admin key. The first key is made with `graphsvc keys create` on the service's "
             "machine, never over HTTP: while no keys exist (open mode) this answers 403 `open_mode_refused`.")
def create_key(body: KeyIn, keys: Keys) -> dict[str, Any]:
    if not keys.enforced:
        raise OpenModeRefused(FIRST_KEY_BY_CLI, details={"refused": "first_key"})
    try:
        key, secret = keys.create(body.roles, body.label, first=False)
    except FileNotFoundError:  # the keys file went away after the check: open mode again
        raise OpenModeRefused(FIRST_KEY_BY_CLI, details={"refused": "first_key"}) from None
    return {**key.public(), "key": secret}


@router.delete("/{key_id}", status_code=204, summary="Revoke a key (effective on the next request)")
def revoke_key(key_id: str, keys: Keys) -> None:
    if not keys.revoke(key_id):
        raise NotFound(f"no API key with id {key_id!r}")
