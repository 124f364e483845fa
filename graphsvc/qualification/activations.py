"""Ruleset activations run in a background thread, so `PUT /v1/rules` answers within the request's
deadline however many accounts there are.

An activation requalifies every account before the ruleset becomes active (`registry.activate`):
at 100k accounts that is a minute or more, past the API's deadline (`GRAPHSVC_REQUEST_TIMEOUT_S`,
30 s), whose 503 says "nothing was acknowledged: retry" while the activation goes on and succeeds.
Here the request waits for its activation until shortly before the deadline and answers either its
outcome (as before) or the running activation (202), to follow with `GET /v1/rules/activations/{id}`.
One activation at a time per API process: a second one while the first runs is a 409 (two would
requalify every account twice over, and the last to finish would win). Activations live in the
memory of the API process that took them (the last `KEEP`), as import jobs do.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from graphsvc.errors import Conflict, GraphsvcError
from graphsvc.qualification import registry
from graphsvc.rules import load_ruleset
from graphsvc.store.graph_store import GraphStore

__all__ = ["Activation", "Activations"]

log = logging.getLogger("graphsvc.rules")
KEEP = 20
CHANGES_SHOWN = 100  # stage changes an answer lists (it counts them all)


@dataclass
class Activation:
    id: str
    version: str
    actor: str
    started_at: float
    status: str = "running"  # running, done, failed
    accounts_done: int = 0
    finished_at: float | None = None
    result: dict[str, Any] | None = None  # done: what PUT /v1/rules answers
    error: GraphsvcError | None = None  # failed: the error PUT /v1/rules answers
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    ended: threading.Event = field(default_factory=threading.Event, repr=False)

    def progress(self, accounts: int) -> None:
        with self.lock:
            self.accounts_done = accounts

    def outcome(self) -> dict[str, Any]:
        """An ended activation's answer: its result, or its error raised (a 503 stays a 503)."""
        if self.error is not None:
            raise self.error
        assert self.result is not None, "the activation has not ended"
        return self.result

    def to_dict(self) -> dict[str, Any]:
        with self.lock:
            return {
                "id": self.id, "status": self.status, "version": self.version, "actor": self.actor,
                "accounts_done": self.accounts_done, "started_at": _iso(self.started_at),
                "finished_at": _iso(self.finished_at), "result": self.result,
                "error": None if self.error is None else {**self.error.to_dict(), "status": self.error.status_code},
            }


def _iso(ts: float | None) -> str | None:
    return None if ts is None else datetime.fromtimestamp(ts, UTC).isoformat()


class Activations:
    """The ruleset activations of one API process."""

    def __init__(self) -> None:
        self._items: OrderedDict[str, Activation] = OrderedDict()
        self._lock = threading.Lock()

    def start(self, store: GraphStore, text: str, *, actor: str, now: float, processes: int = 1) -> Activation:
        """Validate `text` here (RulesetError: nothing started), then activate it in a background
        thread. Conflict while another activation of this process runs."""
        version = load_ruleset(text).version
        with self._lock:
            running = next((a for a in self._items.values() if a.status == "running"), None)
            if running is not None:
                raise Conflict(f"ruleset {running.version} is being applied to every account (activation "
                               f"{running.id}, {running.accounts_done} accounts so far): wait for it to end "
                               f"(GET /v1/rules/activations/{running.id}), then activate again",
                               details={"activation": running.id, "version": running.version})
            activation = Activation(uuid.uuid4().hex[:16], version, actor, started_at=time.time())
            self._items[activation.id] = activation
            while len(self._items) > KEEP:
                oldest = next(iter(self._items))
                if self._items[oldest].status == "running":
                    break
                del self._items[oldest]
        threading.Thread(target=self._run, args=(activation, store, text, now, processes),
                         name=f"activation-{activation.id}", daemon=True).start()
        return activation

    def wait(self) -> None:
        """Wait for the running activation, if any (a service stopping waits for it as it would for a
        request: stopped midway, the accounts already requalified keep the new ruleset's outcome
        while the old one stays active)."""
        with self._lock:
            running = [a for a in self._items.values() if a.status == "running"]
        for activation in running:
            log.info("waiting for the activation of ruleset %s (%d accounts so far) to end", activation.version,
                     activation.accounts_done)
            activation.ended.wait()

    def get(self, activation_id: str) -> Activation | None:
        with self._lock:
            return self._items.get(activation_id)

    @staticmethod
    def _run(activation: Activation, store: GraphStore, text: str, now: float, processes: int) -> None:
        try:
            rs, result = registry.activate(store, text, actor=activation.actor, now=now, processes=processes,
                                           progress=activation.progress)
            answer = {"version": rs.version, "accounts": result["accounts"], "changed": result["changed"],
                      "changes": result["changes"][:CHANGES_SHOWN]}
            with activation.lock:
                activation.status, activation.result = "done", answer
        except GraphsvcError as exc:  # registry.activate says what became of the ruleset and the accounts
            with activation.lock:
                activation.status, activation.error = "failed", exc
        except Exception as exc:  # noqa: BLE001 - a background activation must end in a state one can read
            log.exception("activation %s of ruleset %s failed", activation.id, activation.version)
            with activation.lock:
                activation.status = "failed"
                activation.error = GraphsvcError(f"the activation of ruleset {activation.version} failed "
                                                 f"unexpectedly ({type(exc).__name__}); GET /v1/rules says which "
                                                 "ruleset is active")
        finally:
            with activation.lock:
                activation.finished_at = time.time()
            activation.ended.set()
