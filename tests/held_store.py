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
