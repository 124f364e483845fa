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
