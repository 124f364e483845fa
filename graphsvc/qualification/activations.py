"""Ruleset activations run in a background thread, so `PUT /v1/rules` answers within the request's
deadline however many accounts there are.

An activation requalifies every account before the ruleset becomes active (`registry.activate`):
at 100k accounts that is about a minute, past the API's deadline (`GRAPHSVC_REQUEST_TIMEOUT_S`,
30 s), whose 503 said "nothing was acknowledged: retry" while the activation went on and succeeded.
Here the request waits for its activation until shortly before the deadline and answers either its
outcome (as before) or the running activation (202), to follow with `GET /v1/rules/activations/{id}`.

The activation's record lives in the graph (a `RulesetActivation` node: status, progress, outcome),
so any API worker answers for it and one activation runs at a time across the workers (a second
is a 409: it would requalify every account twice over, and the last to finish would win). The
thread applying it writes a heartbeat with its progress every `BEAT_S`; one whose heartbeat is older
than `STALE_S` was abandoned by a process that stopped: it is shown `interrupted` and blocks nothing.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import orjson

from graphsvc.errors import Conflict, GraphsvcError, NotFound
from graphsvc.qualification import registry
from graphsvc.rules import load_ruleset
from graphsvc.store.graph_store import GraphStore
from graphsvc.store.records import iso
from graphsvc.store.resend import resend

__all__ = ["Activation", "Activations"]

log = logging.getLogger("graphsvc.rules")
KEEP = 20  # ended activations kept in the graph
CHANGES_SHOWN = 100  # stage changes an answer lists (it counts them all)
BEAT_S = 5.0
STALE_S = 60.0
END_RETRY_S = 60.0  # how long the outcome's write is sent again while the engine does not take it


@dataclass(eq=False)  # kept in a set: one per activation, by identity
class Activation:
    """This process's handle on an activation it applies: what the waiting request needs."""

    id: str
    version: str
    phase: str = "starting"  # then engagement (the contacts' aggregates rebuilt for a new half-life), requalify
    contacts_done: int = 0
    accounts_done: int = 0
    result: dict[str, Any] | None = None  # done: what PUT /v1/rules answers
    error: GraphsvcError | None = None  # failed: the error PUT /v1/rules answers
    ended: threading.Event = field(default_factory=threading.Event, repr=False)

    def progress(self, phase: str, done: int) -> None:
        # Read by the heartbeat thread: each field is replaced whole (one attribute store each).
        if phase == "engagement":
            self.phase, self.contacts_done = phase, done
        else:
            self.phase, self.accounts_done = phase, done

    def outcome(self) -> dict[str, Any]:
        """An ended activation's answer: its result, or its error raised (a 503 stays a 503)."""
        if self.error is not None:
            raise self.error
        assert self.result is not None, "the activation has not ended"
        return self.result


class Activations:
    """Starts activations in this API process and shows any activation recorded in the graph."""

    def __init__(self) -> None:
        self._running: set[Activation] = set()
        self._lock = threading.Lock()

    def start(self, store: GraphStore, text: str, *, actor: str, now: float, processes: int = 1) -> Activation:
        """Validate `text` here (RulesetError: nothing started), then apply and activate it in a
        background thread. Conflict while another activation runs (in any worker)."""
        version = load_ruleset(text).version
        activation = Activation(uuid.uuid4().hex[:16], version)
        wall = time.time()
        row = store.write("qualification/activation_begin", id=activation.id, version=version, actor=actor, now=wall,
                          stale_before=wall - STALE_S)[0]
        if row["running_id"] is not None:
            raise Conflict(f"ruleset {row['running_version']} is being applied to every account (activation "
                           f"{row['running_id']}, {row['running_done']} accounts so far): wait for it to end "
                           f"(GET /v1/rules/activations/{row['running_id']}), then activate again",
                           details={"activation": row["running_id"], "version": row["running_version"]})
        with self._lock:
            self._running.add(activation)
        threading.Thread(target=self._run, args=(activation, store, text, actor, now, processes),
                         name=f"activation-{activation.id}", daemon=True).start()
        return activation

    def show(self, store: GraphStore, activation_id: str) -> dict[str, Any]:
        """The activation as GET /v1/rules/activations/{id} answers it (NotFound: no such one)."""
        row = store.read_one("qualification/activation", id=activation_id)
        if row is None:
            raise NotFound(f"no ruleset activation {activation_id!r} (the last {KEEP} ended ones are kept)")
        status, error = row["status"], orjson.loads(row["error"]) if row["error"] else None
        if status == "running" and row["updated_at"] < time.time() - STALE_S:
            status = "interrupted"
            error = {"error": "interrupted", "status": None,
                     "message": f"the API process applying ruleset {row['version']} stopped before it ended: it "
                                "was not activated unless GET /v1/rules says so; accounts already requalified "
                                "with it return to the active ruleset's outcome when next requalified"}
        return {"id": row["id"], "status": status, "version": row["version"], "actor": row["actor"],
                "phase": row["phase"], "contacts_done": row["contacts_done"] or 0,
                "accounts_done": row["accounts_done"], "started_at": iso(row["started_at"]),
                "finished_at": iso(row["finished_at"]),
                "result": orjson.loads(row["result"]) if row["result"] else None, "error": error}

    def wait(self) -> None:
        """Wait for this process's running activations (a service stopping waits for them as it would
        for a request: stopped midway, the accounts already requalified keep the new ruleset's
        outcome while the old one stays active)."""
        with self._lock:
            running = list(self._running)
        for activation in running:
            log.info("waiting for the activation of ruleset %s (%d accounts so far) to end", activation.version,
                     activation.accounts_done)
            activation.ended.wait()

    def _run(self, activation: Activation, store: GraphStore, text: str, actor: str, now: float,
             processes: int) -> None:
        beating = threading.Event()
        threading.Thread(target=_beat, args=(activation, store, beating), name=f"activation-beat-{activation.id}",
                         daemon=True).start()
        try:
            rs, result = registry.activate(store, text, actor=actor, now=now, processes=processes,
                                           progress=activation.progress)
            activation.result = {"version": rs.version, "accounts": result["accounts"], "changed": result["changed"],
                                 "changes": result["changes"][:CHANGES_SHOWN]}
        except GraphsvcError as exc:  # registry.activate says what became of the ruleset and the accounts
            activation.error = exc
        except Exception as exc:  # noqa: BLE001 - a background activation must end in a state one can read
            log.exception("activation %s of ruleset %s failed", activation.id, activation.version)
            activation.error = GraphsvcError(f"the activation of ruleset {activation.version} failed unexpectedly "
                                             f"({type(exc).__name__}); GET /v1/rules says which ruleset is active")
        finally:
            beating.set()
            self._record_end(activation, store)
            with self._lock:
                self._running.discard(activation)
            activation.ended.set()

    @staticmethod
    def _record_end(activation: Activation, store: GraphStore) -> None:
        error = activation.error
        params = {"id": activation.id, "status": "failed" if error else "done", "phase": activation.phase,
                  "contacts_done": activation.contacts_done, "accounts_done": activation.accounts_done,
                  "result": orjson.dumps(activation.result).decode() if activation.result else None,
                  "error": orjson.dumps({**error.to_dict(), "status": error.status_code}).decode() if error else None,
                  "keep": KEEP}
        try:
            resend(lambda: store.write("qualification/activation_end", now=time.time(), **params), END_RETRY_S,
                   f"the outcome of activation {activation.id}", log)
        except GraphsvcError:  # shown `interrupted` once its heartbeat is stale; the request has its answer
            log.exception("the outcome of activation %s could not be recorded", activation.id)


def _beat(activation: Activation, store: GraphStore, stop: threading.Event) -> None:
    while not stop.wait(BEAT_S):
        try:
            store.write("qualification/activation_beat", id=activation.id, phase=activation.phase,
                        contacts_done=activation.contacts_done, accounts_done=activation.accounts_done, now=time.time())
        except GraphsvcError as exc:  # the next beat tries again; a long silence makes it look abandoned
            log.warning("activation %s: heartbeat not written (%s)", activation.id, exc)
