"""API keys, stored hashed in a JSON file (`api_keys.json` in the data dir, or GRAPHSVC_API_KEYS_FILE).

A file rather than the graph, so keys work the same on every engine and can be made before the
service (or its engine) ever starts. A key is `gsk_` + 256 random bits; only its sha256 is stored.
sha256 and not scrypt on purpose: scrypt protects guessable passwords, and a 256-bit random key
cannot be guessed, while a slow hash would cost every request tens of milliseconds.

The file is re-read when it changes (stat per request), so `graphsvc keys create` or `revoke`
reaches a running service without a restart. Writers take a lock and replace the file atomically
with mode 0600.

States: no file -> *open* (no keys configured; the service answers loopback clients only and says
so loudly); a file -> keys are enforced, even if it holds none (revoking the last key locks the
API, it never opens it).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from graphsvc.config import Settings
from graphsvc.errors import GraphsvcError
from graphsvc.private_files import exclusive, write_private

ROLES = ("ingest", "sales", "analyst", "admin")
KEY_PREFIX = "gsk_"
FILE_NAME = "api_keys.json"


class KeyFileError(GraphsvcError):
    """The keys file exists but cannot be read: every request is refused until it is fixed."""

    status_code = 500
    code = "auth_misconfigured"


@dataclass(frozen=True)
class ApiKey:
    id: str
    hash: str
    roles: tuple[str, ...]
    label: str | None
    created_at: str

    def public(self) -> dict[str, Any]:
        return {"id": self.id, "roles": list(self.roles), "label": self.label, "created_at": self.created_at}


def hash_key(secret: str) -> str:
    return "sha256:" + hashlib.sha256(secret.encode("utf-8")).hexdigest()


def keys_path(settings: Settings) -> Path:
    return Path(settings.api_keys_file) if settings.api_keys_file else Path(settings.data_dir) / FILE_NAME


class KeyStore:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._stamp: tuple[int, int, int] | None = None
        self._keys: dict[str, ApiKey] = {}  # by hash
        self._exists = False

    @classmethod
    def for_settings(cls, settings: Settings) -> KeyStore:
        return cls(keys_path(settings))

    # -- reading ------------------------------------------------------------------------------
    def _refresh(self) -> None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            with self._lock:
                self._exists, self._keys, self._stamp = False, {}, None
            return
        stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
        with self._lock:
            if stamp == self._stamp:
                return
            keys = _parse(self.path)
            self._exists, self._keys, self._stamp = True, {k.hash: k for k in keys}, stamp

    @property
    def enforced(self) -> bool:
        """A keys file exists: every protected route needs a key."""
        self._refresh()
        return self._exists

    def keys(self) -> list[ApiKey]:
        self._refresh()
        return sorted(self._keys.values(), key=lambda k: (k.created_at, k.id))

    def authenticate(self, secret: str | None) -> ApiKey | None:
        if not secret or not secret.startswith(KEY_PREFIX):
            return None
        self._refresh()
        digest = hash_key(secret)
        key = self._keys.get(digest)
        # The dict lookup found it by the full digest; compare again in constant time anyway.
        return key if key is not None and hmac.compare_digest(key.hash, digest) else None

    # -- writing ------------------------------------------------------------------------------
    def create(
        self, roles: Sequence[str], label: str | None = None, *, first: bool = True
    ) -> tuple[ApiKey, str]:
        """A new key; the secret is returned once and never stored.

        `first=False` (the HTTP API) refuses, with FileNotFoundError, to make the keys file: the
        first key, which ends open mode, is the command line's to make."""
        roles = tuple(dict.fromkeys(roles))
        bad = [r for r in roles if r not in ROLES]
        if not roles or bad:
            raise ValueError(f"roles must be one or more of {', '.join(ROLES)}; got {', '.join(roles) or 'none'}")
        secret = KEY_PREFIX + secrets.token_urlsafe(32)
        key = ApiKey(
            id=secrets.token_hex(6),
            hash=hash_key(secret),
            roles=roles,
            label=label,
            created_at=datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        )
        with self._writing(create=first) as keys:
            keys.append(key)
        return key, secret

    def revoke(self, key_id: str) -> bool:
        try:
            with self._writing(create=False) as keys:  # no file, no key: nothing to write (it would lock the API)
                kept = [k for k in keys if k.id != key_id]
                found = len(kept) != len(keys)
                keys[:] = kept
        except FileNotFoundError:
            return False
        return found

    @contextmanager
    def _writing(self, create: bool = True) -> Iterator[list[ApiKey]]:
        with exclusive(self.path):
            if not create and not self.path.exists():
                raise FileNotFoundError(self.path)
            keys = _parse(self.path) if self.path.exists() else []
            yield keys
            body = json.dumps({"keys": [{**asdict(k), "roles": list(k.roles)} for k in keys]}, indent=2)
            write_private(self.path, body + "\n")
        self._stamp = None  # re-read on next use


def _parse(path: Path) -> list[ApiKey]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [
            ApiKey(id=str(k["id"]), hash=str(k["hash"]), roles=tuple(k["roles"]), label=k.get("label"),
                   created_at=str(k.get("created_at", "")))
            for k in data["keys"]
        ]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise KeyFileError(f"the API keys file {path} cannot be read ({exc}); fix or remove it") from exc
