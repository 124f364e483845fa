"""Import jobs for the HTTP API: uploaded files imported in a background thread, with progress.

A job keeps its uploads under `<data dir>/imports/<job id>/` until it ends (then they are deleted)
and its rejected rows there as `rejected/<file>.rejected.csv`, for the user to download, fix and
import again. The process that took the upload runs the job and keeps it in memory (the last `KEEP`
of them); it also writes what GET shows to `job.json` beside them (graphsvc.job_files: at each change
of status or phase, at most once a second while rows go by, every few seconds whatever happens, and
at the end), so the other workers of `serve --workers N` answer for it too.
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
from graphsvc.job_files import JobFile, beat, is_job_id, read_saved, shown_as_saved
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
    file: JobFile = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.file = JobFile(self.directory, self.to_dict)

    @property
    def rejected_dir(self) -> Path:
        return self.directory / "rejected"

    def rejected_files(self) -> list[str]:
        return _rejected_files(self.rejected_dir)

    def progress(self, phase: str, done: int) -> None:
        with self.lock:
            changed = (self.status, self.phase) != ("running", phase)
            self.status, self.phase, self.rows_done, self.waiting = "running", phase, done, None
        self.save(force=changed)

    def wait_note(self, note: str | None) -> None:
        with self.lock:
            self.waiting = note
        self.save(force=True)

    def fail(self, message: str) -> None:
        with self.lock:
            self.status, self.error, self.finished_at = "failed", message, time.time()
        self.save(force=True)

    def save(self, force: bool = False) -> None:
        """What GET shows, to job.json (unless `force` is false and it was written a moment ago)."""
        self.file.save(force)

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


def _rejected_files(directory: Path) -> list[str]:
    if not directory.exists():
        return []
    return sorted(p.name for p in directory.glob("*.rejected.csv"))


def _iso(ts: float | None) -> str | None:
    return None if ts is None else datetime.fromtimestamp(ts, UTC).isoformat()


@dataclass
class SavedImportJob:
    """A job another worker runs (or ran), as its job.json says: what GET and the rejected rows need."""

    directory: Path
    saved: dict[str, Any]

    @property
    def rejected_dir(self) -> Path:
        return self.directory / "rejected"

    def rejected_files(self) -> list[str]:
        return _rejected_files(self.rejected_dir)

    def to_dict(self) -> dict[str, Any]:
        return shown_as_saved(self.saved, lambda _: (
            "the API process running this import stopped before it ended: the batches written so far stay "
            "written; import the files again (an import is idempotent)"))


class ImportJobs:
    """The import jobs this API process runs, and (read from their job.json) the other workers' ones."""

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
        job.save(force=True)
        with self._lock:
            self._jobs[job_id] = job
            while len(self._jobs) > KEEP:
                _, old = self._jobs.popitem(last=False)
                shutil.rmtree(old.directory, ignore_errors=True)
        return job

    def get(self, job_id: str) -> ImportJob | SavedImportJob | None:
        """The job: this process's, or one another worker took (its job.json); None if neither."""
        with self._lock:
            job = self._jobs.get(job_id)
        if job is not None or not is_job_id(job_id):
            return job
        saved = read_saved(self.root / job_id)
        return None if saved is None else SavedImportJob(self.root / job_id, saved)

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
        beat(job.file, job.ended, f"import-beat-{job.id}")
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
            job.save(force=True)
            job.ended.set()

