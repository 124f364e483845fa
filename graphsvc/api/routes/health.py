import logging

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from graphsvc.api.deps import Store
from graphsvc.auth.policy import OPEN
from graphsvc.errors import StoreUnavailable

router = APIRouter(tags=["health"])
ACCESS = OPEN  # who may call these routes (graphsvc.auth.policy)
log = logging.getLogger("graphsvc.health")

# /health is open to anyone: it names the engine and its version, never where it listens (the
# engine's address, or the text of a connection error that would contain it).
PUBLIC_FIELDS = ("engine", "version")


@router.get(
    "/health",
    summary="Is the service and its graph engine answering?",
    description="`200 {status: ok, store: {engine, version}}` only when the engine answers a ping; 503 otherwise.",
)
def health(store: Store):
    try:
        info = store.ping()
    except StoreUnavailable as exc:
        log.warning("health: %s", exc.message)
        return JSONResponse({"status": "unavailable", "store": None,
                             "message": "the graph engine is not answering; see the service's log"}, status_code=503)
    return {"status": "ok", "store": {k: info.get(k) for k in PUBLIC_FIELDS}}
