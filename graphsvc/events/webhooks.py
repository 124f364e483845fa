"""Webhook registry: create (the secret shown once), list, delete, the delivery log, redeliver.

Definitions and the delivery log live in the graph (every worker and replica agrees on them); the
signing secrets in a 0600 file only the service reads (secrets_file.py). URLs are http or https
and carry no credentials, and logs only ever show a URL's scheme and host (`redact`): a chat tool's
incoming-webhook URL is itself a secret in its path.
"""

from __future__ import annotations

import uuid
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, Field

from graphsvc.errors import InvalidInput, NotFound
from graphsvc.events.feed import check_types
from graphsvc.events.secrets_file import SecretsFile
from graphsvc.events.signing import new_secret
from graphsvc.store.graph_store import GraphStore
from graphsvc.store.records import iso

MAX_URL = 2000
NO_NUL = r"^[^\x00]*$"  # FalkorDB ends a string at NUL: refused here, with the field named
STATUSES = ("pending", "delivered", "dead")


class WebhookIn(BaseModel):
    url: str = Field(max_length=MAX_URL, description="http:// or https:// URL receiving a POST per event; no "
                                                     "user:password@ in it (put credentials in the path if needed).")
    types: list[str] = Field(default_factory=list, max_length=20, description="Event types to send (empty: all).")
    segment: str | None = Field(default=None, max_length=200, pattern=NO_NUL, description="Only accounts of this "
                                                                                         "segment.")
    owner: str | None = Field(default=None, max_length=200, pattern=NO_NUL, description="Only accounts of this owner.")
    format: Literal["json", "slack"] = Field(default="json", description="`json`: the event as GET /v1/events "
                                             "returns it; `slack`: a Slack-compatible incoming-webhook message "
                                             "(`{\"text\": ...}`).")
    max_attempts: int | None = Field(default=None, ge=1, le=50, description="Tries before a delivery is "
                                     "dead-lettered (default GRAPHSVC_WEBHOOK_MAX_ATTEMPTS).")


def check_url(url: str) -> str:
    """http(s), a host, no credentials, no fragment: 422 naming the field otherwise."""
    problem = None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError:
        problem = "not a URL"
    else:
        if parts.scheme not in ("http", "https"):
            problem = "must be an http:// or https:// URL"
        elif not parts.hostname:
            problem = "has no host"
        elif parts.username is not None or parts.password is not None:
            problem = "must not contain credentials (user:password@): they would end up in logs"
        elif parts.fragment:
            problem = "must not have a #fragment"
        elif any(c.isspace() or ord(c) < 32 for c in url):
            problem = "must not contain spaces or control characters"
    if problem:
        raise InvalidInput(f"invalid webhook URL: {problem}; nothing was written",
                           details=[{"row": None, "field": "url", "message": problem}])
    return url


def redact(url: str) -> str:
    """What logs may show of a URL: scheme, host and port only."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}/…"


def public(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": row["id"], "url": row["url"], "types": list(row.get("types") or []), "segment": row.get("segment"),
            "owner": row.get("owner"), "format": row["format"], "max_attempts": row["max_attempts"],
            "created_at": iso(row["created_at"]), "cursor": row["cursor"]}


class Webhooks:
    def __init__(self, store: GraphStore, secrets: SecretsFile, default_max_attempts: int) -> None:
        self.store, self.secrets, self.default_max_attempts = store, secrets, default_max_attempts

    def create(self, body: WebhookIn, now: float) -> dict[str, Any]:
        """Register; the answer holds the secret, the only time it is ever shown."""
        check_url(body.url)
        types = check_types(body.types)
        webhook_id = "wh_" + uuid.uuid4().hex[:16]
        secret = new_secret()
        self.secrets.put(webhook_id, secret)  # first: a webhook never exists without its secret
        self.store.write("events/webhook_create", id=webhook_id, url=body.url, types=types, segment=body.segment,
                         owner=body.owner, format=body.format,
                         max_attempts=body.max_attempts or self.default_max_attempts, now=now)
        return {**self.get(webhook_id), "secret": secret}

    def all(self) -> list[dict[str, Any]]:
        return [public(r) for r in self.store.read("events/webhooks")]

    def get(self, webhook_id: str) -> dict[str, Any]:
        row = self.store.read_one("events/webhooks", id=webhook_id)
        if row is None:
            raise NotFound(f"no webhook with id {webhook_id!r}")
        return public(row)

    def delete(self, webhook_id: str) -> None:
        if not self.store.write("events/webhook_delete", id=webhook_id):
            raise NotFound(f"no webhook with id {webhook_id!r}")
        self.secrets.remove(webhook_id)

    def deliveries(self, webhook_id: str, status: str | None, after: int, limit: int) -> list[dict[str, Any]]:
        self.get(webhook_id)
        rows = self.store.read("events/deliveries", webhook=webhook_id, status=status, after=after, limit=limit)
        times = ("next_at", "last_attempt_at", "delivered_at", "created_at")
        return [{**r, **{k: iso(r[k]) for k in times}} for r in rows]

    def redeliver(self, webhook_id: str, event_id: int, now: float) -> dict[str, Any]:
        self.get(webhook_id)
        rows = self.store.write("events/redeliver", webhook=webhook_id, seq=event_id, now=now)
        if not rows:
            raise NotFound(f"webhook {webhook_id!r} has no delivery of event {event_id}")
        return {"event_id": event_id, "was": rows[0]["status"], "status": "pending"}
