"""`Server-Timing: app;dur=<ms>, engine;dur=<ms>` on every response: how long the service itself
took and, of that, how long it waited on the graph engine (every statement's wall time, summed), so
a client (or bench/qualification.py) can tell server time from network and client time, and a slow
answer's engine time from its Python time."""

from __future__ import annotations

import time

from graphsvc.store import engine_time


class ServerTiming:
    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        with engine_time.meter() as engine:

            async def timed_send(message) -> None:
                if message["type"] == "http.response.start":
                    ms = (time.perf_counter() - started) * 1000
                    message.setdefault("headers", [])
                    timing = f"app;dur={ms:.2f}, engine;dur={engine[0] * 1000:.2f}"
                    message["headers"] = [*message["headers"], (b"server-timing", timing.encode())]
                await send(message)

            await self.app(scope, receive, timed_send)
