"""A daemon thread that runs beside the API (the requalifier, the webhook delivery worker, the SLA
timer): started only when enabled, stopped with `stop()`, and never killed by a failing pass."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Self

from graphsvc.errors import GraphsvcError

__all__ = ["Background"]

log = logging.getLogger("graphsvc")


class Background:
    """Subclasses implement `_loop`, waiting on `self._stop` between passes."""

    def __init__(self, name: str, *, enabled: bool) -> None:
        self.enabled = enabled
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)

    def start(self) -> Self:
        if self.enabled:
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)

    def _loop(self) -> None:  # pragma: no cover - every subclass has its own
        raise NotImplementedError

    @staticmethod
    def guarded(what: str, job: Callable[[], Any]) -> bool:
        """Run one pass; an engine that is down or restarting is logged and tried again next time,
        anything else is logged with its traceback. True when the pass ran through."""
        try:
            job()
            return True
        except GraphsvcError as exc:
            log.warning("%s skipped: %s", what, exc.message)
        except Exception:  # noqa: BLE001 - never let the thread die silently
            log.exception("%s failed", what)
        return False
