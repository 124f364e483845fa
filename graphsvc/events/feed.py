"""The outbox as a feed: `GET /v1/events`, `graphsvc events tail`, and what the webhook worker reads.

Every event is an `Event` node written in the same statement as the change it describes, with a
`seq` from one counter locked until commit: seq order is commit order, so a reader that keeps the
last seq it handled and asks for the events after it never misses one (at-least-once: a reader
that crashes before saving its cursor sees some events again; `id` is what to de-duplicate by).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from pydantic import BaseModel, Field

from graphsvc.errors import InvalidInput
from graphsvc.store.graph_store import GraphStore
from graphsvc.store.records import iso

# Every event type the outbox writes, and what it means.
EVENT_TYPES: dict[str, str] = {
    "stage_changed": "An account's stage changed (by the rules engine or a person's transition).",
    "roles_changed": "Sales confirmed or removed buying roles of a contact of the account.",
    "sla_reminder": "An SQL (or MQA) is close to its SLA due time and sales has not acted yet.",
    "owner_assigned": "A person (PUT /v1/accounts/{id}/owner) or a [routing] rule assigned the account's owner.",
    "sla_breached": "An SQL (or MQA) passed its SLA due time without sales accepting, rejecting or recycling it.",
}


class Event(BaseModel):
    """One outbox event, as the feed and webhooks deliver it."""

    id: int = Field(description="Ordered, unique event id (`seq`): pass the last one you handled as `after`; "
                                "de-duplicate by it (delivery is at least once).")
    type: str = Field(description="One of: " + ", ".join(EVENT_TYPES) + ".")
    account_id: str = Field(description="The account the event is about.")
    at: str = Field(description="When the change happened (ISO-8601, UTC).")
    actor: str | None = Field(default=None, description="`rules@<version>` or the user who acted.")
    owner: str | None = Field(default=None, description="The account's owner at that moment.")
    data: dict[str, Any] = Field(
        description="What changed. stage_changed: from, to, reason, and for the rules engine the ruleset, "
        "missing_roles, scores, checks (gate, name, passed, value, threshold), group (the buying group shown) "
        "and qualified_group (the one whose SQL gate passed, or null); for a person's action: action and reason; change_id is the StageChange in the account's history. roles_changed: contact_id, "
        "confirmed, removal_requested and removed (the roles really removed). sla_reminder, sla_breached: stage, "
        "hours, entered_at, due_at, reminder_at, state. owner_assigned: from, to, reason, source (person or "
        "routing); routing adds rule (the [routing] rule that decided), team, strategy, stage and ruleset.")


class EventPage(BaseModel):
    events: list[Event]
    next_cursor: int = Field(description="Pass as `after` for the next page: the last event's id, or, when the page "
                                         "is short, the newest id looked at (events your filters left out are "
                                         "skipped); equal to `after` when there was nothing new: poll again later.")
    last_id: int = Field(description="The newest event's id now (0: none yet); start `after` here for new events "
                                     "only.")


def to_event(row: dict[str, Any]) -> dict[str, Any]:
    """A feed row -> the event's public shape."""
    data: dict[str, Any] = json.loads(row["payload"]) if row.get("payload") else {}
    if row.get("change"):
        data["change_id"] = row["change"]
    if row.get("type") == "roles_changed":
        data["removed"] = list(row.get("removed") or [])
    return {"id": int(row["seq"]), "type": row["type"], "account_id": row["account"], "at": iso(row["at"]),
            "actor": row.get("actor"), "owner": row.get("owner"), "data": data}


def check_types(types: Sequence[str], field: str = "types") -> list[str]:
    """Split comma-separated values; 422 naming each unknown type."""
    out = [t.strip() for value in types for t in value.split(",") if t.strip()]
    bad = [t for t in out if t not in EVENT_TYPES]
    if bad:
        raise InvalidInput("unknown event type(s); nothing was read", details=[
            {"row": None, "field": field, "message": f"unknown event type {t!r}; known: {', '.join(EVENT_TYPES)}"}
            for t in bad])
    return sorted(set(out))


WINDOW = 1_000  # ids a feed read looks at first; twice as many for each read that leaves the page short
MAX_WINDOW = 64_000  # and at most this many (a window's wanted ids are collected in the engine)


def windows(after: int, last: int, first: int) -> Iterator[tuple[int, int]]:
    """(after, upto] ranges of ids covering (after, last], `first` wide and doubling up to
    MAX_WINDOW; the reader stops taking them once its page is full."""
    width = first
    while after < last:
        upto = min(after + width, last)
        yield after, upto
        after, width = upto, min(width * 2, MAX_WINDOW)


class EventFeed:
    def __init__(self, store: GraphStore) -> None:
        self.store = store

    def page(self, after: int = 0, types: Sequence[str] = (), account: str | None = None,
             limit: int = 100) -> dict[str, Any]:
        """Up to `limit` events after `after`, oldest first, read a window of ids at a time up to the
        counter read first (events/window.cypher says why). `next_cursor` is the last event
        returned, or, when the page is short, the newest id looked at in windows the engine vouched
        for (it held an event for every id): a filtered reader does not have them looked at again.
        One account's events (its index finds them), a page within one window of the newest id, and
        whatever follows a window that held fewer events than ids, are read as before, with the
        cursor on the last event returned."""
        last = self.last_id()
        events: list[dict[str, Any]] = []
        cursor = after
        first = max(limit, WINDOW)
        # Windows only from further back than one window: near the newest id (a reader keeping up)
        # one read of what is left is as cheap, and counting a window would add to it.
        if account is None and last - after > first:
            for lo, upto in windows(after, last, first):
                rows = self.store.read("events/window", after=lo, upto=upto, types=list(types),
                                       limit=limit - len(events))
                if not rows or rows[0]["looked"] < upto - lo:
                    break  # a gap in the ids, or a server behind the counter read above: read on below
                events += [to_event(r) for r in rows if r["seq"] is not None]
                if len(events) == limit:
                    return {"events": events, "next_cursor": events[-1]["id"], "last_id": last}
                cursor = upto
            else:
                return {"events": events, "next_cursor": cursor, "last_id": last}
        rows = self.store.read("events/feed", after=cursor, types=list(types), account=account,
                               limit=limit - len(events))
        events += [to_event(r) for r in rows]
        return {"events": events, "next_cursor": events[-1]["id"] if events else cursor,
                "last_id": max(last, events[-1]["id"] if events else 0)}

    def last_id(self) -> int:
        row = self.store.read_one("events/last_seq")
        return int(row["seq"]) if row else 0
