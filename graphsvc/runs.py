"""Long work a request starts (a rules-lab simulation or backtest, an export) run in a background
thread, so the API answers within its deadline however many accounts there are.

At 100k accounts a simulation takes about a minute and a half and the readiness export longer,
past the request deadline (`GRAPHSVC_REQUEST_TIMEOUT_S`, 30 s), whose 503 said "retry" while the
work went on, to be thrown away. Here the request waits for its run until shortly before the
deadline and answers its result (as before) or the running run (202, `Location`), to follow there.
A run writes nothing to the graph: a run answered 202 gets a record, a `job.json` under
`<root>/<id>/` (graphsvc.job_files), so every worker of `serve --workers N` answers for it; the last
`KEEP` ended ones are kept there (a run answered at once has no id to follow, and no record). A
service that stops does not wait for its runs: it marks them `interrupted` and they end at their
next page.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphsvc.errors import Busy, GraphsvcError, NotFound, ShuttingDown
from graphsvc.job_files import STALE_S, JobFile, beat, is_job_id, read_saved, shown_as_saved
from graphsvc.store.records import iso

__all__ = ["Run", "Runs", "Stopped"]

log = logging.getLogger("graphsvc")
KEEP = 20  # ended runs kept under the root
MAX_RUNNING = 2  # per API process and root: more would only queue for the engine, holding their results


class Stopped(Exception):
    """Raised from a run's progress when the service stops: the run ends at its next page."""


@dataclass(eq=False)  # kept in a set: one per run, by identity
class Run:
    """A run this process started: what the waiting request and GET need."""

    id: str
    kind: str
    directory: Path
    location: str  # where GET answers for it
    params: dict[str, Any]  # what it runs (the candidate's version, as_of, …), shown as given
    unit: str  # what `done` and `total` count: accounts, or replay steps
    started_at: float = field(default_factory=time.time)
    status: str = "running"  # then done, failed, or interrupted (the service stopped)
    done: int = 0
    total: int | None = None
    moves: int | None = None  # a simulation's moving accounts so far
    finished_at: float | None = None
    result: Any = None
    error: GraphsvcError | None = None
    ended: threading.Event = field(default_factory=threading.Event, repr=False)
    stopping: bool = False
    published: bool = False  # answered 202: its job.json is kept up to date for GET
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    file: JobFile = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.file = JobFile(self.directory, self.to_dict)

    def progress(self, done: int, total: int | None = None, moves: int | None = None) -> None:
        if self.stopping:
            raise Stopped
        with self.lock:
            self.done = done
            self.total = total if total is not None else self.total
            self.moves = moves if moves is not None else self.moves
        if self.published:
            self.file.save()

    def outcome(self) -> Any:
        """An ended run's result, or its error raised (a 408 stays a 408)."""
        if self.error is not None:
            raise self.error
        return self.result

    def to_dict(self) -> dict[str, Any]:
        with self.lock:
            error = self.error
            return {"id": self.id, "kind": self.kind, "status": self.status, **self.params, "unit": self.unit,
                    "done": self.done, "total": self.total, **({} if self.moves is None else {"moves": self.moves}),
                    "started_at": iso(self.started_at), "finished_at": iso(self.finished_at),
                    "result": self.result,
                    "error": None if error is None else {**error.to_dict(), "status": error.status_code}}


class Runs:
    """Starts runs in this API process and shows any run under `root` (this machine's)."""

    def __init__(self, root: Path, locations: dict[str, str], noun: str) -> None:
        self.root = root
        self.locations = locations  # kind -> the path under which GET answers for its runs
        self.noun = noun  # what they are called in messages ("rules-lab runs")
        self._running: set[Run] = set()
        self._lock = threading.Lock()

    def start(self, kind: str, params: dict[str, Any], unit: str, work: Callable[[Run], Any]) -> Run:
        """Run `work(run)` in a background thread (it reports through `run.progress` and returns the
        result). Busy (429) while MAX_RUNNING runs of this process have not ended."""
        with self._lock:
            if len(self._running) >= MAX_RUNNING:
                raise Busy(f"{MAX_RUNNING} {self.noun} are running in this API process: retry when one has ended",
                           details={"running": {r.id: r.location for r in self._running}})
            run_id = uuid.uuid4().hex[:16]
            run = Run(run_id, kind, self.root / run_id, f"{self.locations[kind]}/{run_id}", params, unit)
            self._running.add(run)
        threading.Thread(target=self._run, args=(run, work), name=f"run-{kind}-{run.id}", daemon=True).start()
        return run

    def publish(self, run: Run) -> None:
        """The run is answered 202: from now on its job.json says what GET shows, to every worker."""
        run.directory.mkdir(parents=True, exist_ok=True)
        run.published = True
        run.file.save(force=True)  # ended meanwhile: it says so
        beat(run.file, run.ended, f"run-beat-{run.id}")
        self._prune()

    def show(self, kind: str, run_id: str) -> dict[str, Any]:
        """The run as GET answers it: this process's own, or what its job.json says (NotFound: none)."""
        with self._lock:
            own = next((r for r in self._running if r.id == run_id), None)
        if own is not None and own.kind == kind:
            return own.to_dict()
        saved = read_saved(self.root / run_id) if is_job_id(run_id) else None
        if saved is None or saved.get("kind") != kind:
            raise NotFound(f"no {kind} {run_id!r} (the last {KEEP} ended {self.noun} are kept)")
        return shown_as_saved(saved, lambda out: {
            "error": "interrupted", "status": None,
            "message": f"the API process running this {kind} stopped before it ended (after {out.get('done')} "
                       f"{out.get('unit')}): nothing was written; start it again"})

    def stop(self) -> None:
        """The service stops: its running runs are recorded `interrupted` and end at their next page."""
        with self._lock:
            running = list(self._running)
        for run in running:
            run.stopping = True
            with run.lock:
                run.status, run.finished_at = "interrupted", time.time()
                run.error = ShuttingDown(f"the API process running this {run.kind} stopped (after {run.done} "
                                         f"{run.unit}): nothing was written; start it again")
            if run.published:
                run.file.save(force=True)

    def _run(self, run: Run, work: Callable[[Run], Any]) -> None:
        try:
            result = work(run)
            with run.lock:
                run.result, run.status = result, "done"
        except Stopped:
            pass  # stop() recorded it
        except GraphsvcError as exc:  # the lane stayed busy (408), the engine went away (503), a bad period (422)
            with run.lock:
                run.error, run.status = exc, "failed"
        except Exception as exc:  # noqa: BLE001 - a background run must end in a state one can read
            log.exception("%s %s failed", run.kind, run.id)
            failure = GraphsvcError(f"the {run.kind} failed unexpectedly ({type(exc).__name__})")
            with run.lock:
                run.error, run.status = failure, "failed"
        finally:
            with run.lock:
                run.finished_at = run.finished_at or time.time()
            if run.published:
                run.file.save(force=True)
            with self._lock:
                self._running.discard(run)
            run.ended.set()

    def forget(self, run: Run) -> None:
        """A run answered at once (never published): what it left in its directory goes."""
        if not run.published:
            shutil.rmtree(run.directory, ignore_errors=True)

    def _prune(self) -> None:
        """Keep the newest KEEP run directories; an older one goes once nothing in it is being
        written (a run another worker still runs beats every few seconds; an export grows its file)."""
        dirs = sorted((d for d in self.root.iterdir() if is_job_id(d.name)), key=_mtime, reverse=True)
        for old in dirs[KEEP:]:
            if _mtime(old) < time.time() - STALE_S:
                shutil.rmtree(old, ignore_errors=True)


def _mtime(directory: Path) -> float:
    """When anything in the run's directory was last written."""
    try:
        return max([directory.stat().st_mtime, *(p.stat().st_mtime for p in directory.iterdir())])
    except OSError:  # removed meanwhile
        return 0.0
