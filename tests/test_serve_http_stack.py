"""`graphsvc serve` answers through uvicorn's C HTTP parser (httptools) on the libuv event loop
(uvloop), not h11 and asyncio's pure-Python loop: uvicorn only picks them when they are installed,
and nothing would fail without them, it would just be slower (docs/benchmarks.md, "The HTTP
stack"). So look at what the serving process really loaded. `serve --workers N` is checked in
test_hardening_access.py, on the workers it starts."""

from __future__ import annotations

import psutil
import pytest
from serve_process import ServeProcess

FAST_STACK = ("httptools", "uvloop")


def loaded_fast_stack(pid: int) -> set[str]:
    """Which of httptools and uvloop have a compiled module mapped into the process (none if it
    has ended since it was listed: a helper process of the supervisor may come and go)."""
    try:
        paths = [m.path for m in psutil.Process(pid).memory_maps()]
    except psutil.NoSuchProcess:
        return set()
    return {name for name in FAST_STACK if any(f"/{name}/" in p and p.endswith(".so") for p in paths)}


@pytest.mark.falkordb
@pytest.mark.slow
def test_serve_answers_through_httptools_on_uvloop(tmp_path):
    server = ServeProcess(tmp_path / "data", tmp_path / "serve.log", "--no-access-log")
    try:
        server.wait_healthy()
        r = server.http.post("/v1/accounts", json={"accounts": [{"id": "a1", "name": "Acme"}]})
        assert r.status_code == 200, r.text
        assert server.http.get("/v1/accounts/a1").json()["name"] == "Acme"
        assert loaded_fast_stack(server.proc.pid) == set(FAST_STACK), server.tail()
    finally:
        server.stop()
