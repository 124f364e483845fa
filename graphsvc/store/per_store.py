"""A value read from the graph and kept per store for a short while: what every worker needs on
every request (the active ruleset's version, the fitted score model), re-read at most once per
`ttl_s` so a change made by another worker or replica reaches this one within that time. Keyed
weakly by the store, so a closed store takes its entry with it."""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

from graphsvc.store.graph_store import GraphStore

__all__ = ["PerStore"]

T = TypeVar("T")


class PerStore(Generic[T]):
    def __init__(self, ttl_s: float) -> None:
        self.ttl_s = ttl_s
        self._seen: weakref.WeakKeyDictionary[GraphStore, tuple[float, T]] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def get(self, store: GraphStore, read: Callable[[GraphStore], T]) -> T:
        """The kept value, or `read(store)` when there is none younger than `ttl_s` (then kept)."""
        now = time.monotonic()
        with self._lock:
            seen = self._seen.get(store)
        if seen is not None and now - seen[0] < self.ttl_s:
            return seen[1]
        value = read(store)
        with self._lock:
            self._seen[store] = (now, value)
        return value

    def put(self, store: GraphStore, value: T) -> None:
        """What this process just wrote: seen by its next `get` at once."""
        with self._lock:
            self._seen[store] = (time.monotonic(), value)
