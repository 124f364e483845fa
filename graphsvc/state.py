"""What a running service holds (the API, `graphsvc serve`, the demo): settings, the store, the clock.

A service-level module, so the services below the HTTP layer can take it without importing the API."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from graphsvc.config import Settings
from graphsvc.store.graph_store import GraphStore

Clock = Callable[[], float]


@dataclass
class AppState:
    settings: Settings
    store: GraphStore
    clock: Clock = field(default=time.time)
    # Asks this process's drain of pending requalifications to run now; returns False (or is None)
    # when no drain runs here. Set by the API's lifespan (the Requalifier's `wake_pending`).
    wake_pending: Callable[[], bool] | None = None
