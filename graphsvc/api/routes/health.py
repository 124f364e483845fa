from fastapi import APIRouter
from fastapi.responses import JSONResponse

from graphsvc.api.deps import Store
from graphsvc.errors import StoreUnavailable

router = APIRouter(tags=["health"])


@router.get(
    "/health",
    summary="Is the service and its graph engine answering?",
    description="`200 {status: ok, store: {...}}` only when the engine answers a ping; 503 otherwise.",
)
def health(store: Store):
    try:
        info = store.ping()
    except StoreUnavailable as exc:
        return JSONResponse({"status": "unavailable", "store": None, "message": exc.message}, status_code=503)
    return {"status": "ok", "store": info}
