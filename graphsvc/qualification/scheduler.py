"""Periodic requalification: decay only lowers a stage if something re-evaluates the account.

Ingest requalifies the accounts it touches; an account nobody touches would keep an MQA forever
while its engagement fades. A daemon thread therefore requalifies every account every
`requalify_interval_s` (0 turns it off). Running it on several workers or replicas is safe, only
wasteful: outcomes are idempotent and a stage moves only from the stage the engine evaluated.
"""

from __future__ import annotations

import logging
import threading

from graphsvc.api.state import AppState
from graphsvc.errors import GraphsvcError
from graphsvc.qualification.registry import active_ruleset
from graphsvc.qualification.service import QualificationService

log = logging.getLogger("graphsvc.requalify")


class Requalifier:
    def __init__(self, state: AppState, interval_s: float) -> None:
        self.state = state
        self.interval_s = interval_s
        self.runs = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="requalifier", daemon=True)

    def start(self) -> Requalifier:
        if self.interval_s > 0:
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)

    def run_once(self) -> dict:
        now = self.state.clock()
        out = QualificationService(self.state.store, active_ruleset(self.state)).requalify_all(now)
        self.runs += 1
        log.info("periodic requalification: %s accounts, %s changed stage", out["accounts"], out["changed"])
        return out

    def _loop(self) -> None:
        while not self._stop.wait(self.interval_s):
            try:
                self.run_once()
            except GraphsvcError as exc:  # engine down or restarting: try again next time
                log.warning("periodic requalification skipped: %s", exc.message)
            except Exception:  # noqa: BLE001 - never let the thread die silently
                log.exception("periodic requalification failed")
