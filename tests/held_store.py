"""A test's real store whose runs of one statement wait until the test releases them (then raise
`fail`, if the test set one): how a test makes work outlast a request's deadline, or fail after its
answer, without a timing race. Not a fake: every statement runs on the real engine."""

from __future__ import annotations

import threading

from graphsvc.store.graph_store import GraphStore


class HeldStore(GraphStore):
    def __init__(self, store: GraphStore, statement: str) -> None:
        super().__init__(store.executor)
        self.statement = statement
        self.release = threading.Event()
        self.fail: Exception | None = None

    def _hold(self, name: str) -> None:
        if name == self.statement:
            assert self.release.wait(60), f"the test never released {self.statement}"
            if self.fail is not None:
                raise self.fail

    def read(self, name: str, **params):
        self._hold(name)
        return super().read(name, **params)

    def write(self, name: str, **params):
        self._hold(name)
        return super().write(name, **params)

    def close(self) -> None:  # the test's fixture closes the executor
        pass


def follow(client, url: str) -> dict:
    """What a 202's `Location` (an activation, a lab run, an export run) shows once it ended: polled
    every 50 ms, at most 30 s (a bounded wait for its thread, not a timing assertion)."""
    import time

    for _ in range(600):
        body = client.get(url).json()
        if body["status"] != "running":
            return body
        time.sleep(0.05)
    raise AssertionError(f"{url} did not end: {body}")


def held_app(store: GraphStore, clock, settings, statement: str):
    """The service on a store whose `statement` waits for the test, with a deadline of 2 s (so a
    request waits 1 s for its background work): (TestClient, HeldStore)."""
    from fastapi.testclient import TestClient

    from graphsvc.api.app import create_app

    held = HeldStore(store, statement)
    app = create_app(settings.model_copy(update={"request_timeout_s": 2.0}), store=held, clock=clock)
    return TestClient(app), held
