"""Issue 10: the board by MQA score reads from the floor the previous answer to the same query left
(`board_top_score`, through the score index) and gives exactly the full read's rows, whatever
happened to the scores in between: rising, falling below the floor, ties, missing scores, filters,
pages. Both engines; the full statement is the reference, run on the same data."""

from __future__ import annotations

import random

import pytest

from graphsvc.qualification.board import ScoreFloors, board_page

STAGES = ("target", "engaged", "mqa", "sql")


def _put(store, rows: list[dict]) -> None:
    """Accounts as a requalification leaves them (test set-up: the scores are the subject here)."""
    store.executor.write(
        "UNWIND $rows AS r MERGE (a:Account {id: r.id}) "
        "SET a.name = r.name, a.stage = r.stage, a.segment = r.segment, a.mqa_score = r.score, "
        "a.engagement = r.score, a.fit = 50.0",
        {"rows": rows})


def _reference(store, **filters) -> list[str]:
    limit = filters.pop("limit", 50) + 1
    rows = store.read("qualification/board", sort="mqa_score", stage=filters.get("stage"),
                      segment=filters.get("segment"), industry=None, owner=None, missing_role=None,
                      q=filters.get("q"), min_score=filters.get("min_score"), skip=filters.get("skip", 0),
                      limit=limit)
    return [r["id"] for r in rows[:limit - 1]]


class Counting:
    """The real store, counting which board statement answered."""

    def __init__(self, store) -> None:
        self.store, self.names = store, []

    def read(self, name: str, **params):
        self.names.append(name)
        return self.store.read(name, **params)


def _page(store, floors, **filters) -> list[str]:
    items, _ = board_page(store, 0.0, floors=floors, **filters)
    return [i["id"] for i in items]


def test_the_second_read_starts_at_the_floor_and_a_stale_floor_falls_back(store):
    rng = random.Random(5)
    _put(store, [{"id": f"a{i:03}", "name": f"A{i}", "stage": rng.choice(STAGES), "segment": "mid",
                  "score": float(rng.randint(0, 120))} for i in range(120)])
    floors, counted = ScoreFloors(), Counting(store)
    first = _page(counted, floors, limit=10)
    assert first == _reference(store, limit=10)
    assert counted.names == ["qualification/board"]
    assert _page(counted, floors, limit=10) == first
    assert counted.names[-1] == "qualification/board_top_score"  # read from the floor this time

    # Every account at or above the floor drops below it: the floor leaves too few rows, the
    # full read answers (and leaves a lower floor).
    _put(store, [{"id": i, "name": i, "stage": "mqa", "segment": "mid", "score": 1.0} for i in first])
    counted.names.clear()
    assert _page(counted, floors, limit=10) == _reference(store, limit=10)
    assert counted.names == ["qualification/board_top_score", "qualification/board"]


@pytest.mark.parametrize("seed", [1, 2])
def test_floors_never_change_an_answer(store, seed):
    """Random scores (with ties and missing ones), filters and pages; between reads, random
    accounts gain or lose score. Every answer equals the full read's."""
    rng = random.Random(seed)
    ids = [f"acc-{i:03}" for i in range(150)]

    def score() -> float | None:
        return rng.choice([None, 0.0, float(rng.randint(1, 30)), round(rng.uniform(0, 100), 2)])

    _put(store, [{"id": i, "name": i, "stage": rng.choice(STAGES), "segment": rng.choice(["smb", "mid"]),
                  "score": score()} for i in ids])
    floors, counted = ScoreFloors(), Counting(store)
    queries = [{"limit": 5}, {"limit": 20}, {"limit": 5, "stage": "mqa"}, {"limit": 10, "segment": "smb"},
               {"limit": 5, "skip": 5}, {"limit": 5, "q": "acc-1"}, {"limit": 5, "min_score": 10.0}]
    for _ in range(25):
        query = rng.choice(queries)
        assert _page(counted, floors, **query) == _reference(store, **dict(query)), query
        changed = rng.sample(ids, rng.randint(1, 30))
        _put(store, [{"id": i, "name": i, "stage": rng.choice(STAGES), "segment": rng.choice(["smb", "mid"]),
                      "score": score()} for i in changed])
    floor_reads = counted.names.count("qualification/board_top_score")
    assert floor_reads >= 5, counted.names  # the floor was tried, not only the full read


def test_floors_forget_the_least_recently_used():
    floors = ScoreFloors(size=2)
    floors.put(("a",), 5.0)
    floors.put(("b",), 6.0)
    assert floors.get(("a",)) == 5.0  # now the most recent
    floors.put(("c",), 7.0)
    assert (floors.get(("a",)), floors.get(("b",)), floors.get(("c",))) == (5.0, None, 7.0)
    floors.put(("a",), 0.0)  # a page reaching score 0: no floor
    assert floors.get(("a",)) is None
