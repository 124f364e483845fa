"""Key management over HTTP (admin): list, create, revoke. Secrets are shown once, at creation."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from graphsvc.auth.keys import KeyStore
from graphsvc.errors import NotFound

router = APIRouter(prefix="/v1/keys", tags=["keys"])


def _keystore(request: Request) -> KeyStore:
    return request.app.state.keystore


Keys = Annotated[KeyStore, Depends(_keystore)]


class KeyIn(BaseModel):
    roles: list[Literal["ingest", "sales", "analyst", "admin"]] = Field(min_length=1)
    label: str | None = Field(default=None, max_length=200, description="Who or what uses the key.")


@router.get("", summary="The API keys (ids, roles, labels; never the secrets)")
def list_keys(keys: Keys) -> list[dict[str, Any]]:
    return [k.public() for k in keys.keys()]


@router.post("", status_code=201, summary="Create a key; the secret is in this answer only",
             description="The first key (made here by a loopback client of an open service, or by `graphsvc keys "
             "create`) switches key checks on for every route.")
def create_key(body: KeyIn, keys: Keys) -> dict[str, Any]:
    key, secret = keys.create(body.roles, body.label)
    return {**key.public(), "key": secret}


@router.delete("/{key_id}", status_code=204, summary="Revoke a key (effective on the next request)")
def revoke_key(key_id: str, keys: Keys) -> None:
    if not keys.revoke(key_id):
        raise NotFound(f"no API key with id {key_id!r}")
