"""The ABM board: accounts with their stage, scores and missing roles as the last requalification
recorded them, filtered, sorted and paged."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from graphsvc.store import records
from graphsvc.store.graph_store import GraphStore
from graphsvc.store.sort_keys import name_key

__all__ = ["ASCENDING", "DESCENDING", "STORED", "BoardFloors", "ScoreFloors", "board_page", "with_subsidiaries"]

# The sorts: stored properties, highest first / lowest first (what a missing value counts as).
DESCENDING = ("mqa_score", "engagement", "fit")
ASCENDING: dict[str, float | None] = {"stage_since": -(2**62), "name": None}  # below every since_key

# The stored property each sort orders by: by fit and time in stage, the sort key that carries the
# creation number as its tie-breaker (graphsvc/store/sort_keys.py); the others, the value itself.
STORED = {"mqa_score": "mqa_score", "engagement": "engagement", "fit": "fit_key", "stage_since": "since_key",
          "name": "name"}


class BoardFloors:
    """Where the last answer to each board query ended, per store, sort and filters (at most `size`,
    least recently used dropped): the bound its sort's floor statement reads up to (`_FLOORED`). A
    hint only: the next read of the same query starts at that floor through a range index and falls
    back to the open bound, then the full read, when the floor leaves too few rows, so a stale floor
    costs a read, never a wrong row. Also what the look for accounts without their sort keys last
    found, per store (`none_lacking_sort_keys`). Shared by the threads of one API process (a lock)."""

    def __init__(self, size: int = 1_024, *, look_every_s: float = 30.0) -> None:
        self.size = size
        self.look_every_s = look_every_s
        self._floors: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._looks: dict[int, tuple[float, dict[str, Any]]] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> Any:
        with self._lock:
            floor = self._floors.get(key)
            if floor is not None:
                self._floors.move_to_end(key)
            return floor

    def put(self, key: tuple[Any, ...], floor: Any) -> None:
        """Keep `floor` for `key`; None forgets it (the page reached values no floor can bound)."""
        with self._lock:
            if floor is None:
                self._floors.pop(key, None)
                return
            self._floors[key] = floor
            self._floors.move_to_end(key)
            while len(self._floors) > self.size:
                self._floors.popitem(last=False)

    def none_lacking_sort_keys(self, store: GraphStore, now: float, sort: str) -> bool:
        """Whether no account of `store` lacks what the board by `sort` (fit, stage_since or name)
        reads through its key, as `qualification/accounts_lacking_sort_keys` last said, looked up
        again when `now` is `look_every_s` or more from that look (a label scan: once in a while, not
        per page). The statements of that sort read through the key only while this holds: only a
        write from outside the service makes such an account, and one is left out of their pages for
        at most `look_every_s`."""
        key = id(store)
        with self._lock:
            looked = self._looks.get(key)
        if looked is None or abs(now - looked[0]) >= self.look_every_s:
            looked = (now, store.read("qualification/accounts_lacking_sort_keys")[0])
            with self._lock:
                self._looks[key] = looked
        return int(looked[1]["without_since" if sort == "stage_since" else "unnumbered"]) == 0


ScoreFloors = BoardFloors  # its name when only the MQA score had a floor

FLOORS = BoardFloors()  # this process's: see BoardFloors


def _score_floor(column: str) -> Callable[[dict[str, Any]], Any]:
    """Highest first: the last row's value, when above 0 (a missing value counts as 0 and is in no
    index, so a page reaching 0 needs every account: no floor)."""
    def floor(row: dict[str, Any]) -> Any:
        value = row.get(column)
        return value if isinstance(value, int | float) and value > 0 else None
    return floor


def _name_floor(row: dict[str, Any]) -> Any:
    """By name (no name last): the last row's name, when it has one (a page reaching the accounts with
    no name needs every account: no floor)."""
    return row.get("name") if isinstance(row.get("name"), str) else None


def _key_floor(row: dict[str, Any]) -> Any:
    """By fit and time in stage: the last row's sort key (`sort_key`, an integer, exact on both
    engines: graphsvc/store/sort_keys.py), a floor by fit and a ceiling by time in stage. Every
    account has one while `none_lacking_sort_keys` holds, so any page can leave a floor."""
    value = row.get("sort_key")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


# Per sort: the statement that reads up to a floor through a range index, and the floor a full
# answer leaves (from its last row). Every account such a statement reads sorts before every account
# it does not, so a full answer from it ($limit rows) is exactly the full read's. By time in stage
# the floor is a ceiling (since_key <= floor). By fit, time in stage and name these statements read
# the sort keys (graphsvc/store/sort_keys.py) and answer only while no account lacks one (it would be
# in no index: BoardFloors.none_lacking_sort_keys).
_FLOORED: dict[str, tuple[str, Callable[[dict[str, Any]], Any]]] = {
    "mqa_score": ("qualification/board_top_score", _score_floor("mqa_score")),
    "engagement": ("qualification/board_top_engagement", _score_floor("engagement")),
    "fit": ("qualification/board_top_fit", _key_floor),
    "name": ("qualification/board_first_name", _name_floor),
    "stage_since": ("qualification/board_oldest_stage", _key_floor),
}

# Per sort: the open bound tried when no floor is remembered, or a stale one, before the full read:
# every account with a value is within it, so the proof above holds for any bound (a bound that leaves
# too few rows costs a fallback, never a wrong row). Neo4j reads the floor statements in the sort
# index's order and stops after about a page, so even the open bound costs about a page (the full read
# costs a pass: 0.3-1 s at 100k accounts, a cold query's price before the open bound; docs/benchmarks.md,
# "The board's cold pages and ties"). FalkorDB hands over every account within the bound from its
# index and sorts them, so the open bound costs it about the full read.
_OPEN: dict[str, Any] = {"mqa_score": 1e-300, "engagement": 1e-300, "fit": -(2**62), "name": "\U0010ffff",
                         "stage_since": 2**62}

# With a stage given (the commonest filter): per sort, the same read from a floor (or the open bound)
# through a statement that seeks the stage (`a.stage = $stage`, which `$stage IS NULL OR a.stage =
# $stage` cannot). Neo4j reads these through composite (stage, sort, id) indexes in the sort's order;
# FalkorDB reads the stage's accounts within the bound from its one Account index (measured:
# docs/benchmarks.md, "The board of one stage").
_STAGED: dict[str, tuple[str, Any]] = {
    "mqa_score": ("qualification/board_stage_top_score", _OPEN["mqa_score"]),
    "engagement": ("qualification/board_stage_top_engagement", _OPEN["engagement"]),
    "fit": ("qualification/board_stage_top_fit", _OPEN["fit"]),
    "name": ("qualification/board_stage_first_name", _OPEN["name"]),
    "stage_since": ("qualification/board_stage_oldest_stage", _OPEN["stage_since"]),
}


def board_page(store: GraphStore, now: float, *, stage: str | None = None, segment: str | None = None,
               industry: str | None = None, owner: str | None = None, missing_role: str | None = None,
               q: str | None = None, min_score: float | None = None, sort: str = "mqa_score", skip: int = 0,
               limit: int = 50,
               sla_of: Callable[[str | None, float | None], Any] | None = None,
               floors: BoardFloors = FLOORS) -> tuple[list[dict[str, Any]], bool]:
    """One page of the board (`limit` rows after `skip`), and whether more follow. `q` searches the
    name and the domain (lower case, substring); a None filter means any; `sla_of(stage,
    stage_since)` gives each row its SLA state when the caller knows the SLA. The page is read from a
    floor when an earlier answer to the same query left one (`BoardFloors`, `_FLOORED`), else from an
    open bound (`_OPEN`), with a stage given through a statement that seeks it (`_STAGED`)."""
    if sort not in DESCENDING and sort not in ASCENDING:
        raise ValueError(f"unknown board sort {sort!r}")
    filters = {"stage": stage, "segment": segment, "industry": industry, "owner": owner, "missing_role": missing_role,
               "q": q, "min_score": min_score, "skip": skip, "limit": limit + 1}
    rows = _from_floor(store, sort, filters, floors, now)
    items = []
    for r in rows[:limit]:
        since = r.get("stage_since")
        item = {k: v for k, v in r.items() if k != "sort_key"}  # the floor's, not the page's
        item.update({"stage_since": records.iso(since),
                     "days_in_stage": round((now - since) / 86400, 1) if since is not None else None})
        if sla_of is not None:
            item["sla"] = sla_of(r.get("stage"), since)
        items.append(item)
    return items, len(rows) > limit


def _full(store: GraphStore, sort: str, filters: dict[str, Any]) -> list[dict[str, Any]]:
    """The full read: every account that passes the filters, top-k by the sort's stored property
    (`STORED`: by fit and time in stage its sort key, so the order is the floor statements')."""
    if sort in DESCENDING:
        return store.read("qualification/board", sort=STORED[sort], **filters)
    return store.read("qualification/board_ascending", sort=STORED[sort], missing=ASCENDING[sort], **filters)


_KEYED = ("fit", "stage_since", "name")  # the sorts read through a sort key


def _from_floor(store: GraphStore, sort: str, filters: dict[str, Any], floors: BoardFloors,
                now: float) -> list[dict[str, Any]]:
    """The full read's answer: through the sort's index from the floor the same query left last time,
    then from the open bound (`_OPEN`), each when it gives a full answer (`limit` rows: the page and one
    more); with a stage given, through the stage's statement (`_STAGED`); otherwise the full read.
    Each answer leaves the floor for next time."""
    if sort not in _FLOORED or (sort in _KEYED and not floors.none_lacking_sort_keys(store, now, sort)):
        return _full(store, sort, filters)
    statement, floor_of = _FLOORED[sort]
    if filters["stage"] is not None:
        statement = _STAGED[sort][0]
    key = (id(store), sort, *sorted(filters.items()))
    for floor in dict.fromkeys(b for b in (floors.get(key), _OPEN[sort]) if b is not None):  # each once, in order
        bounds = {"floor": floor, "ceiling": name_key(floor)} if sort == "name" else {"floor": floor}
        rows = store.read(statement, **bounds, **filters)
        if len(rows) == filters["limit"]:
            floors.put(key, floor_of(rows[-1]))
            return rows
    rows = _full(store, sort, filters)
    floors.put(key, floor_of(rows[-1]) if len(rows) == filters["limit"] else None)
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
