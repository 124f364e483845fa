"""A background job's `job.json`: what GET shows of it, written where every API worker reads it.

`serve --workers N` runs N processes behind one port, and a job (an import, a rules-lab run) runs in
the process that took its request; a follow-up GET may reach any of them. The process running a job
therefore writes what GET shows to `<job directory>/job.json` (atomically: a reader sees the old
file or the new one) at each change that matters, at most once a second otherwise, and every
`BEAT_S` while it runs whatever it does; the other workers, which share the data directory, read it
there. A running job whose file has not been rewritten for `STALE_S` was left by a process that
stopped: it is shown `interrupted`. The file is per machine: API replicas on several machines see
only their own jobs.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

__all__ = ["BEAT_S", "STALE_S", "JobFile", "beat", "is_job_id", "read_saved", "shown_as_saved"]

log = logging.getLogger("graphsvc")
SAVE_EVERY_S = 1.0  # job.json at most this often while only progress counts change
BEAT_S = 5.0  # job.json rewritten at least this often while the job runs
STALE_S = 60.0  # a running job's job.json older than this: its process stopped (shown `interrupted`)
_JOB_ID = re.compile(r"[0-9a-f]{16}")


def is_job_id(job_id: str) -> bool:
    """Job ids are 16 hex digits: anything else is never looked up as a path."""
    return _JOB_ID.fullmatch(job_id) is not None


class JobFile:
    """The job.json of one job, written by the process that runs it."""

    def __init__(self, directory: Path, view: Callable[[], dict[str, Any]]) -> None:
        self.directory = directory
        self.view = view  # what GET shows, as a dict (called under the file's lock)
        self._saved_at = 0.0  # monotonic
        self._lock = threading.Lock()  # the job's thread and its beat write in turn

    def save(self, force: bool = False) -> None:
        """Write the view to job.json, unless `force` is false and it was written less than
        SAVE_EVERY_S ago (the time check comes first: progress calls this per row)."""
        with self._lock:
            now = time.monotonic()
            if not force and now - self._saved_at < SAVE_EVERY_S:
                return
            self._saved_at = now
            tmp = self.directory / "job.json.tmp"
            try:  # updated_at: the heartbeat that tells a running job from one whose process stopped
                tmp.write_bytes(orjson.dumps({**self.view(), "updated_at": time.time()}, default=str))
                os.replace(tmp, self.directory / "job.json")
            except OSError as exc:  # the job goes on; only the other workers' view of it is late
                log.warning("job %s: job.json not written (%s)", self.directory.name, exc)


def beat(job_file: JobFile, ended: threading.Event, name: str) -> None:
    """Rewrite job.json every BEAT_S until `ended` is set, in a daemon thread: its `updated_at` says
    the running process is alive even while the job reports no progress (a long check of a file)."""

    def loop() -> None:
        while not ended.wait(BEAT_S):
            job_file.save(force=True)

    threading.Thread(target=loop, name=name, daemon=True).start()


def read_saved(directory: Path) -> dict[str, Any] | None:
    """A job's saved view as another worker wrote it; None when there is none (or it is unreadable)."""
    try:
        saved = orjson.loads((directory / "job.json").read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    return saved if isinstance(saved, dict) else None


def shown_as_saved(saved: dict[str, Any], interrupted: Callable[[dict[str, Any]], Any]) -> dict[str, Any]:
    """What GET shows of a saved view: as written, but a job not ended whose heartbeat is stale is
    `interrupted`, its `error` what `interrupted(saved)` says (each kind of job says it its own way).
    A `queued` import is one whose files are being copied (seconds): stale, its process stopped too."""
    out = dict(saved)
    updated = out.pop("updated_at", None)
    if out.get("status") in ("queued", "running") and isinstance(updated, float) and updated < time.time() - STALE_S:
        out["status"] = "interrupted"
        out["error"] = interrupted(out)
    return out
