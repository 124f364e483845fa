"""`// @plain` statements (graphsvc.store.queries): an executor may return their values undecoded.

The tag is a promise about the statement's columns (strings, numbers, booleans, nulls, lists of
them): the parser refuses it on any other declared type, and on both real engines the undecoded
answer holds only such values and equals the normalised one but for integral floats.
"""

from __future__ import annotations

import uuid

import pytest
from conftest import NOW

from graphsvc.ingest.repository import IngestRepository
from graphsvc.qualification.service import QualificationService
from graphsvc.rules.loading import default_ruleset
from graphsvc.store import queries
from graphsvc.store.executor import normalise

DAY = 86400.0


def _query(header: str) -> str:
    return f"// A statement.\n{header}\nRETURN 1 AS n\n"


def test_the_tag_is_read_with_or_without_a_reason():
    assert queries.parse("a", _query("// @plain\n// @column n INTEGER one")).plain
    assert queries.parse("a", _query("// @plain the reader casts\n// @column n LIST<LIST> rows")).plain
    assert not queries.parse("a", _query("// @column n INTEGER one")).plain


@pytest.mark.parametrize("column", ["n MAP", "n LIST<MAP>", "n ANY", "n NODE"])
def test_the_tag_is_refused_on_columns_that_may_hold_more_than_plain_values(column):
    with pytest.raises(ValueError, match="@plain needs"):
        queries.parse("a", _query(f"// @plain\n// @column {column} x"))


def test_the_tag_needs_declared_columns():
    with pytest.raises(ValueError, match="got none"):
        queries.parse("a", _query("// @plain"))


def test_a_near_miss_of_the_tag_is_an_unknown_tag():
    with pytest.raises(ValueError, match="unknown header tag"):
        queries.parse("a", _query("// @plainly\n// @column n INTEGER one"))


def test_the_plain_statements_are_the_hot_reads():
    """Which statements skip the walk is a decision recorded here, not a side effect of an edit."""
    assert sorted(n for n, q in queries.load_all().items() if q.plain) == ["qualification/snapshot_contacts"]


def _plain_only(value) -> bool:
    if isinstance(value, list):
        return all(_plain_only(v) for v in value)
    return value is None or isinstance(value, (str, int, float, bool))


def test_plain_answers_hold_plain_values_equal_to_the_normalised_ones(store):
    n = uuid.uuid4().hex[:8]
    aid = f"plain-{n}"
    QualificationService(store, default_ruleset()).ensure_engagement()  # aggregates kept from here on
    repo = IngestRepository(store)
    repo.upsert_accounts([{"id": aid, "props": {"name": "Acme", "domain": f"{aid}.example", "employees": 300}}],
                         [], NOW - 10 * DAY)
    people = [{"id": f"{p}-{n}", "account_id": aid, "props": {"email": f"{p}@{aid}.example", "title": t}}
              for p, t in (("vp", "VP Operations"), ("eng", "Engineer"), ("quiet", "Analyst"))]
    repo.upsert_contacts(people, [{"id": f"eng-{n}", "reports_to": f"vp-{n}"}], [], NOW - 10 * DAY)
    repo.create_activities([
        {"id": f"a1-{n}", "contact_id": f"vp-{n}", "type": "webinar_attended", "at": NOW - 2 * DAY},
        {"id": f"a2-{n}", "contact_id": f"vp-{n}", "type": "page_view", "at": NOW - DAY},
        {"id": f"a3-{n}", "contact_id": f"eng-{n}", "type": "page_view", "at": NOW - 3 * DAY},
    ], batch=uuid.uuid4().hex, now=NOW)
    for name in (n for n, q in queries.load_all().items() if q.plain):
        q = queries.get(name)
        params = q.bind({"ids": [aid]})
        plain = store.executor.read(q.text, params, plain=True)
        walked = store.executor.read(q.text, params, plain=False)
        assert plain and _plain_only([list(r.values()) for r in plain]), name
        assert normalise(plain) == walked, name
    # the statement's answer is not empty of what it promises: the three contacts, two with aggregates
    contacts = store.read("qualification/snapshot_contacts", ids=[aid])[0]["contacts"]
    assert sorted(c[0] for c in contacts) == sorted(p["id"] for p in people)
    assert sum(c[8] is not None for c in contacts) == 2
