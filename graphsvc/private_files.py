"""Files only the service may read (API key hashes, webhook signing secrets): one writer at a time
under an exclusive lock, and each write atomic (a temporary 0600 file, fsynced, then renamed over the
old one), so a reader never sees half a file and a crash never leaves one."""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["exclusive", "write_private"]


@contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold the lock of `path` (a `.lock` file beside it); creates the folder 0700 if needed."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    lock_path = path.with_name(path.name + ".lock")
    with os.fdopen(os.open(lock_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def write_private(path: Path, text: str) -> None:
    """Replace `path` by `text`, readable by the owner only; call it inside `exclusive(path)`."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
