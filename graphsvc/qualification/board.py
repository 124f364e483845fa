"""The ABM board: accounts with their stage, scores and missing roles as the last requalification
recorded them, filtered, sorted and paged."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from graphsvc.store import records
from graphsvc.store.graph_store import GraphStore

__all__ = ["ASCENDING", "DESCENDING", "ScoreFloors", "board_page", "with_subsidiaries"]

# The sorts: stored properties, highest first / lowest first (what a missing value counts as).
DESCENDING = ("mqa_score", "engagement", "fit")
ASCENDING: dict[str, float | None] = {"stage_since": 0.0, "name": None}


class ScoreFloors:
    """Where the last answer to each board query by MQA score ended: its last row's score, per
    store and filters (at most `size`, least recently used dropped). A hint only: the next read of
    the same query starts at that floor through the score index (`board_top_score`) and falls back
    to the full read when the floor leaves too few rows, so a stale floor costs a read, never a
    wrong row. Shared by the threads of one API process (a lock; a miss costs one full read)."""

    def __init__(self, size: int = 1_024) -> None:
        self.size = size
        self._floors: OrderedDict[tuple[Any, ...], float] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> float | None:
        with self._lock:
            floor = self._floors.get(key)
            if floor is not None:
                self._floors.move_to_end(key)
            return floor

    def put(self, key: tuple[Any, ...], floor: float | None) -> None:
        with self._lock:
            if floor is None or floor <= 0:  # a page reaching score 0 needs every account: no floor helps
                self._floors.pop(key, None)
                return
            self._floors[key] = floor
            self._floors.move_to_end(key)
            while len(self._floors) > self.size:
                self._floors.popitem(last=False)


FLOORS = ScoreFloors()  # this process's: see ScoreFloors


def board_page(store: GraphStore, now: float, *, stage: str | None = None, segment: str | None = None,
               industry: str | None = None, owner: str | None = None, missing_role: str | None = None,
               q: str | None = None, min_score: float | None = None, sort: str = "mqa_score", skip: int = 0,
               limit: int = 50,
               sla_of: Callable[[str | None, float | None], Any] | None = None,
               floors: ScoreFloors = FLOORS) -> tuple[list[dict[str, Any]], bool]:
    """One page of the board (`limit` rows after `skip`), and whether more follow. `q` searches the
    name and the domain (lower case, substring); a None filter means any; `sla_of(stage,
    stage_since)` gives each row its SLA state when the caller knows the SLA. By MQA score (the
    default order) the page is read from a floor when an earlier answer left one (`ScoreFloors`)."""
    filters = {"stage": stage, "segment": segment, "industry": industry, "owner": owner, "missing_role": missing_role,
               "q": q, "min_score": min_score, "skip": skip, "limit": limit + 1}
    if sort == "mqa_score":
        rows = _by_score(store, filters, floors)
    elif sort in DESCENDING:
        rows = store.read("qualification/board", sort=sort, **filters)
    elif sort in ASCENDING:
        rows = store.read("qualification/board_ascending", sort=sort, missing=ASCENDING[sort], **filters)
    else:
        raise ValueError(f"unknown board sort {sort!r}")
    items = []
    for r in rows[:limit]:
        since = r.get("stage_since")
        item = {**r, "stage_since": records.iso(since),
                "days_in_stage": round((now - since) / 86400, 1) if since is not None else None}
        if sla_of is not None:
            item["sla"] = sla_of(r.get("stage"), since)
        items.append(item)
    return items, len(rows) > limit


def _by_score(store: GraphStore, filters: dict[str, Any], floors: ScoreFloors) -> list[dict[str, Any]]:
    """board.cypher's answer by MQA score: through the score index from the floor the same query
    left last time when that gives a full answer (`limit` rows: the page and one more); otherwise
    the full read, which leaves the floor for next time."""
    key = (id(store), *sorted(filters.items()))
    floor = floors.get(key)
    if floor is not None:
        rows = store.read("qualification/board_top_score", floor=floor, **filters)
        if len(rows) == filters["limit"]:
            floors.put(key, rows[-1]["mqa_score"])
            return rows
    rows = store.read("qualification/board", sort="mqa_score", **filters)
    floors.put(key, rows[-1]["mqa_score"] if len(rows) == filters["limit"] else None)
    return rows


def with_subsidiaries(store: GraphStore, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Board rows with `parent_id`, `subsidiaries` (every account below, level 1 = direct, by level then
    id, each with stage and MQA score) and `subsidiary_stages` (count per stage below): a parent with
    its subsidiaries' stages (issue 15, `group_by=parent`). One more query per page."""
    found = {r["id"]: r for r in store.read("qualification/board_subsidiaries", ids=[i["id"] for i in items])}
    out = []
    for item in items:
        row = found.get(item["id"]) or {"parent_id": None, "subsidiaries": []}
        subs = sorted((s for s in row["subsidiaries"] if s), key=lambda s: (s["level"], s["id"]))
        stages: dict[str, int] = {}
        for s in subs:
            stages[s.get("stage") or "target"] = stages.get(s.get("stage") or "target", 0) + 1
        out.append({**item, "parent_id": row["parent_id"], "subsidiaries": subs,
                    "subsidiary_stages": dict(sorted(stages.items()))})
    return out
