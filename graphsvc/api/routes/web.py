"""The web app for sales, ABM and analysts: static files shipped in the package (graphsvc/web/),
served at `/` with no Node at run time. The page calls the public API (`/v1/...`) with the same
keys a script uses, so it is open itself: it holds no data, and every call it makes is checked."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from graphsvc.auth.policy import OPEN
from graphsvc.errors import NotFound

router = APIRouter(tags=["web app"])
ACCESS = OPEN  # who may call these routes (graphsvc.auth.policy): static files; the API calls need keys

WEB_ROOT = (Path(__file__).resolve().parent.parent.parent / "web").resolve()
_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
          ".css": "text/css; charset=utf-8", ".json": "application/json", ".svg": "image/svg+xml",
          ".txt": "text/plain; charset=utf-8"}
# The page and its scripts change with each release; a browser must not run a stale app.js against a
# newer API, so it revalidates (cheap: the files are small and served with ETag / Last-Modified).
_HEADERS = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}


def _file(relative: str) -> FileResponse:
    target = (WEB_ROOT / relative).resolve()
    # Only files inside the web root with a known type: no path escapes (`..`, symlinks out), no
    # directory listings, nothing the package keeps next to them by accident.
    if not target.is_relative_to(WEB_ROOT) or not target.is_file() or target.suffix not in _TYPES:
        raise NotFound(f"no web app file {relative!r}")
    return FileResponse(target, media_type=_TYPES[target.suffix], headers=_HEADERS)


@router.get("/", summary="The web app (HTML)", response_class=FileResponse,
            description="The board, account pages with the buying-center map, actions and the analysts' charts. "
            "The page asks for an API key when the service has keys and keeps it for the browser session only.",
            responses={200: {"content": {"text/html": {}}, "description": "The page"}})
def index() -> FileResponse:
    return _file("index.html")


_ASSET = {200: {"content": {media.split(";")[0]: {} for media in _TYPES.values()}, "description": "The file"},
          404: {"description": "No such file"}}


# Two flat folders, so each route has a plain `{name}` parameter (a `{path:path}` parameter would
# be documented as something else than it matches).
@router.get("/ui/{name}", summary="The web app's scripts and styles", response_class=FileResponse, responses=_ASSET)
def asset(name: str) -> FileResponse:
    return _file(name)


@router.get("/ui/vendor/{name}", summary="The web app's third-party libraries (from npm, see tools/web-vendor)",
            response_class=FileResponse, responses=_ASSET)
def vendor_asset(name: str) -> FileResponse:
    return _file(f"vendor/{name}")
