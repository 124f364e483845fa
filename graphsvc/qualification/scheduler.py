"""Periodic requalification: decay only lowers a stage if something re-evaluates the account, and a
requalification that a failure interrupted must still happen.

Ingest requalifies the accounts it touches; an account nobody touches would keep an MQA forever
while its engagement fades. Each outcome is written with `requalify_at`, the first second at which
time alone can change it (rules/decay.py); a daemon thread requalifies, every
`requalify_interval_s` (0 turns it off), the accounts whose requalify_at has come, through an index
(issue 10), or every account when `full_pass` is set (`requalify_full_pass`). Every write that implies a requalification also marks the
accounts `requalify_pending` in its own statement; the same thread drains those marks once at
start and every `requalify_pending_interval_s`, so a crash between a write and its requalification
leaves no stale stage behind. Running it on several workers or replicas is safe, only wasteful:
outcomes are idempotent and a stage moves only from the stage the engine evaluated.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from graphsvc.background import Background
from graphsvc.qualification.parallel import requalify_all, requalify_pending
from graphsvc.qualification.registry import active_ruleset
from graphsvc.qualification.service import QualificationService
from graphsvc.state import AppState

__all__ = ["Requalifier"]

log = logging.getLogger("graphsvc.requalify")


class Requalifier(Background):
    def __init__(self, state: AppState, interval_s: float, pending_interval_s: float = 0.0,
                 full_pass: bool = False) -> None:
        super().__init__("requalifier", enabled=interval_s > 0 or pending_interval_s > 0)
        self.state = state
        self.full_pass = full_pass
        self.interval_s = interval_s
        self.pending_interval_s = pending_interval_s

    def run_once(self) -> dict[str, Any]:
        now = self.state.clock()
        service = QualificationService(self.state.store, active_ruleset(self.state))
        if self.full_pass:
            out = requalify_all(service, now, processes=self.state.settings.requalify_processes)
        else:
            out = service.requalify_due(now)
        if out["accounts"] or self.full_pass:
            log.info("periodic requalification (%s): %s accounts, %s changed stage",
                     "every account" if self.full_pass else "decay due", out["accounts"], out["changed"])
        return out

    def run_pending(self) -> dict[str, Any]:
        # Over requalify_processes processes when a bulk load (requalify=later) left many marked.
        out = requalify_pending(QualificationService(self.state.store, active_ruleset(self.state)), self.state.clock(),
                                processes=self.state.settings.requalify_processes)
        if out["accounts"]:
            log.info("pending requalification: %s accounts, %s changed stage", out["accounts"], out["changed"])
        return out

    def _loop(self) -> None:
        start = time.monotonic()
        due = {self.run_once: start + self.interval_s if self.interval_s > 0 else None,
               # at once: whatever an earlier process left pending
               self.run_pending: start if self.pending_interval_s > 0 else None}
        every = {self.run_once: self.interval_s, self.run_pending: self.pending_interval_s}
        while True:
            job = min((j for j in due if due[j] is not None), key=lambda j: due[j])  # type: ignore[arg-type,return-value]
            if self._stop.wait(max(0.0, due[job] - time.monotonic())):  # type: ignore[operator]
                return
            self.guarded("periodic requalification", job)
            due[job] = time.monotonic() + every[job]
