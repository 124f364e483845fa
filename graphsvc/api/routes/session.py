"""Who am I: the roles of the key a client sends, so a client (the web app) can offer only what
those roles allow, instead of finding out screen by screen through 403s."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from graphsvc.auth import ROLES
from graphsvc.auth.policy import Access

router = APIRouter(prefix="/v1", tags=["keys"])
# Any valid key may ask what it is; admin is included by Access itself.
ACCESS = Access({"*": ("ingest", "sales", "analyst")})  # who may call these routes (graphsvc.auth.policy)


def _secret(request: Request) -> str | None:
    header = request.headers.get("x-api-key")
    if header:
        return header
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" and credentials.strip() else None


@router.get("/me", summary="The roles of the key this request was sent with",
            description="`mode` is `keys` when the service checks API keys, then `key` is the key's id, roles and "
            "label (never its secret) and `roles` its roles; `open` when no keys are configured (loopback clients "
            "only), then every role is allowed and `key` is null. A missing or invalid key is a 401, like "
            "everywhere else.")
def me(request: Request) -> dict[str, Any]:
    keystore = request.app.state.keystore
    if not keystore.enforced:
        return {"mode": "open", "key": None, "roles": list(ROLES)}
    secret = _secret(request)
    key = keystore.authenticate(secret) if secret else None
    # The router's guard has authenticated this same key before the route runs; a key revoked in
    # between answers with no roles rather than an error.
    return {"mode": "keys", "key": key.public() if key else None, "roles": list(key.roles) if key else []}
