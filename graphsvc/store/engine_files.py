"""The embedded FalkorDB's private files: its data directory kept owner-only (0700 directories,
0600 files, also what an older version left looser), and the engine password made once per data
directory and kept in a 0600 file (see graphsvc/store/embedded.py for how it reaches the server)."""

from __future__ import annotations

import logging
import os
import re
import secrets
from pathlib import Path

__all__ = ["load_password", "tighten", "tighten_dir"]

log = logging.getLogger("graphsvc.embedded")

_PASSWORD = re.compile(r"[A-Za-z0-9_\-.~+/=]{16,512}")  # one word of redis.conf, no quoting needed


def tighten(path: Path) -> None:
    """Directories 0700 and files 0600 under `path` (itself included); what we cannot change is logged."""
    for p in (path, *path.rglob("*")) if path.is_dir() else (path,):
        try:
            if p.is_symlink():
                continue
            want = 0o700 if p.is_dir() else 0o600
            if p.stat().st_mode & 0o777 != want:
                os.chmod(p, want)
        except OSError as exc:
            log.warning("cannot restrict the permissions of %s: %s", p, exc)


def tighten_dir(path: Path) -> None:
    try:
        if path.stat().st_mode & 0o777 != 0o700:
            os.chmod(path, 0o700)
    except OSError as exc:
        log.warning("cannot restrict the permissions of %s: %s", path, exc)


def load_password(path: Path) -> str:
    """The engine password kept in `path` (mode 0600), made on first use.

    A file readable by anyone but its owner is not a secret any more: a new password replaces it
    (harmless: the password is not part of the data, only of how the server is started)."""
    try:
        st = path.stat()
        password = path.read_text(encoding="utf-8").strip()
        private = st.st_mode & 0o077 == 0 and st.st_uid == os.getuid()
        if private and _PASSWORD.fullmatch(password):
            return password
        log.warning("%s is %s: making a new engine password", path,
                    f"readable by others (mode {st.st_mode & 0o777:o})" if not private else "not a usable password")
    except FileNotFoundError:
        pass
    password = secrets.token_urlsafe(32)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, (password + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    return password
