"""A deadline on every request: when the engine hangs (stopped, swapping, a lock held forever), the
client gets `503 engine_timeout` with `Retry-After` instead of waiting as long as the engine does.

Why not `asyncio.wait_for` around the app: the routes are sync functions run in worker threads,
and a thread cannot be cancelled, so cancelling the awaiting task would still wait for the thread.
Instead the request runs in its own task and the answer races the deadline: whichever comes first
is sent. A request answered 503 may still complete later when the engine wakes up; 503 never
acknowledges a write, and every write is idempotent by id, so the client's retry is safe.

Every 503 also gets a `Retry-After` header (the engine restarting, or not answering in time).
"""

from __future__ import annotations

import asyncio
import contextlib

import orjson
from fastapi import Response

from graphsvc.runs import Run, Runs

RETRY_AFTER_S = 5


class Deadline:
    def __init__(self, app, *, timeout_s: float, retry_after_s: int = RETRY_AFTER_S) -> None:
        self.app = app
        self.timeout_s = timeout_s
        self.retry_after = str(retry_after_s).encode()

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or self.timeout_s <= 0:
            await self.app(scope, receive, send)
            return
        # A plain future, not an Event and a task waiting on it: asyncio.wait takes futures, and
        # every request passes here (one task fewer to create, schedule and cancel per request).
        started = asyncio.get_running_loop().create_future()
        abandoned = False

        async def guarded_send(message) -> None:
            if abandoned:  # the client already got its 503: whatever the late request says is dropped
                return
            if message["type"] == "http.response.start":
                if not started.done():
                    started.set_result(None)
                headers = message.get("headers", [])
                if message["status"] == 503 and not any(k.lower() == b"retry-after" for k, _ in headers):
                    message["headers"] = [*headers, (b"retry-after", self.retry_after)]
            await send(message)

        task = asyncio.ensure_future(self.app(scope, receive, guarded_send))
        done, _ = await asyncio.wait({task, started}, timeout=self.timeout_s, return_when=asyncio.FIRST_COMPLETED)
        if done:  # answered (or started answering) in time: let it finish
            await task
            return
        abandoned = True
        task.add_done_callback(_consume)  # it finishes in the background; its error is not ours to raise
        body = orjson.dumps({
            "error": "engine_timeout",
            "message": f"the graph engine did not answer within {self.timeout_s:g} s "
                       "(GRAPHSVC_REQUEST_TIMEOUT_S); nothing was acknowledged: retry",
        })
        await send({"type": "http.response.start", "status": 503,
                    "headers": [(b"content-type", b"application/json"), (b"retry-after", self.retry_after),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


def answer_within(request_timeout_s: float) -> float | None:
    """How long a request may wait for background work it started (an import with `wait=true`, a
    ruleset's activation) before it answers that work as running, to follow: within the deadline
    (0 = none: until it ends), with time to answer, so long work is answered with its id instead of
    the deadline's 503 while it goes on."""
    if request_timeout_s <= 0:
        return None
    return max(request_timeout_s - 5.0, request_timeout_s / 2)


def answered_as_run(runs: Runs, run: Run, response: Response, request_timeout_s: float) -> bool:
    """Wait for `run` within the request's deadline (answer_within): True when it ended (the caller
    answers its outcome); else the run is published and the response made its 202, to follow at
    `Location` (the caller answers `run.to_dict()`)."""
    if run.ended.wait(answer_within(request_timeout_s)):
        return True
    runs.publish(run)
    response.status_code = 202
    response.headers["Location"] = run.location
    return False


def _consume(task: asyncio.Future) -> None:
    with contextlib.suppress(BaseException):
        task.result()
