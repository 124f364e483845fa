"""What the running API holds: settings, the store, the clock, the active rules."""

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
