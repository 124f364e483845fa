"""Import jobs for the HTTP API: uploaded files imported in a background thread, with progress.

A job keeps its uploads under `<data dir>/imports/<job id>/` until it ends (then they are deleted)
and its rejected rows there as `rejected/<file>.rejected.csv`, for the user to download, fix and
import again. Jobs live in the memory of the API process that took the upload (the last
`KEEP` of them): with several workers, poll through the same worker or use `graphsvc import`.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from graphsvc.errors import GraphsvcError
from graphsvc.imports.job import Importer, ImportOptions
from graphsvc.imports.report import ImportReport
from graphsvc.rules import Ruleset
from graphsvc.store.graph_store import GraphStore

log = logging.getLogger("graphsvc.imports")
KEEP = 100


@dataclass
class ImportJob:
    id: str
    directory: Path
    files: list[str]
    options: ImportOptions
    created_at: float
    status: str = "queued"  # queued, running, done, failed
    phase: str | None = None
    rows_done: int = 0
    waiting: str | None = None  # why a running job is not moving (the engine did not take a batch)
    finished_at: float | None = None
    report: ImportReport | None = None
    error: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    ended: threading.Event = field(default_factory=threading.Event, repr=False)  # done or failed

    @property
    def rejected_dir(self) -> Path:
        return self.directory / "rejected"

    def rejected_files(self) -> list[str]:
        if not self.rejected_dir.exists():
            return []
        return sorted(p.name for p in self.rejected_dir.glob("*.rejected.csv"))

    def progress(self, phase: str, done: int) -> None:
        with self.lock:
            self.status, self.phase, self.rows_done, self.waiting = "running", phase, done, None

    def wait_note(self, note: str | None) -> None:
        with self.lock:
            self.waiting = note

    def to_dict(self) -> dict[str, Any]:
        with self.lock:
            out: dict[str, Any] = {
                "id": self.id, "status": self.status, "files": self.files, "dry_run": self.options.dry_run,
                "skip_invalid": self.options.skip_invalid, "phase": self.phase, "rows_done": self.rows_done,
                "waiting": self.waiting,
                "created_at": _iso(self.created_at), "finished_at": _iso(self.finished_at), "error": self.error,
            }
            report = self.report
        if report is not None:
            out["report"] = report.to_dict()
        out["rejected"] = [{"file": name, "url": f"/v1/imports/{self.id}/rejected/{name}"}
                           for name in (self.rejected_files() if self.status in ("done", "failed") else [])]
        return out


def _iso(ts: float | None) -> str | None:
    return None if ts is None else datetime.fromtimestamp(ts, UTC).isoformat()


class ImportJobs:
    """The import jobs of one API process."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._jobs: OrderedDict[str, ImportJob] = OrderedDict()
        self._lock = threading.Lock()

    def create(self, files: list[str], options: ImportOptions, now: float) -> ImportJob:
        """A new job with an empty upload directory (the caller saves the files into it)."""
        job_id = uuid.uuid4().hex[:16]
        directory = self.root / job_id
        (directory / "uploads").mkdir(parents=True)
        options.rejected_dir = directory / "rejected"
        job = ImportJob(job_id, directory, files, options, created_at=now)
        with self._lock:
            self._jobs[job_id] = job
            while len(self._jobs) > KEEP:
                _, old = self._jobs.popitem(last=False)
                shutil.rmtree(old.directory, ignore_errors=True)
        return job

    def get(self, job_id: str) -> ImportJob | None:
        with self._lock:
            return self._jobs.get(job_id)

    def run(self, job: ImportJob, store: GraphStore, ruleset: Ruleset, now: float, *,
            wait_s: float | None = 0.0) -> bool:
        """Run the job in a background thread and wait up to `wait_s` seconds for it to end (None:
        until it ends); whether it ended. A caller that answers within a deadline waits less than
        the deadline, so a long job is answered as a job to follow, never cut off without its id."""
        threading.Thread(target=self._run, args=(job, store, ruleset, now), name=f"import-{job.id}",
                         daemon=True).start()
        return job.ended.wait(wait_s)

    @staticmethod
    def _run(job: ImportJob, store: GraphStore, ruleset: Ruleset, now: float) -> None:
        job.progress("recognise", 0)
        uploads = job.directory / "uploads"
        try:
            report = Importer(store, ruleset, now, job.options, progress=job.progress, waiting=job.wait_note).run(
                [(uploads / name, name) for name in job.files])
            with job.lock:
                job.report, job.status = report, "done"
        except GraphsvcError as exc:
            with job.lock:
                job.status, job.error = "failed", exc.message
        except Exception as exc:  # noqa: BLE001 - a background job must end in a state the user can read
            log.exception("import job %s failed", job.id)
            with job.lock:
                job.status, job.error = "failed", f"the import failed unexpectedly ({type(exc).__name__})"
        finally:
            with job.lock:
                job.finished_at, job.waiting = time.time(), None
            shutil.rmtree(uploads, ignore_errors=True)
            job.ended.set()
