"""`qualification/snapshot_current` (one statement for a few accounts) reads what the three reads
(snapshot_accounts, snapshot_contacts, snapshot_roles) read, on both engines; the service takes it
up to ONE_STATEMENT accounts and the three reads above."""

from __future__ import annotations

import uuid

from conftest import NOW

from graphsvc.ingest.repository import IngestRepository
from graphsvc.qualification import service as service_module
from graphsvc.qualification.groups import create_group, group_id
from graphsvc.qualification.service import QualificationService
from graphsvc.qualification.snapshots import account_snapshot, join_current, split_current
from graphsvc.rules.loading import default_ruleset
from graphsvc.rules.result import to_jsonable

DAY = 86400.0
H = 30 * DAY


def _accounts(store) -> list[str]:
    """Three accounts: people with a manager, roles in two groups (one with a kind) and activity;
    people without any role or activity; nobody at all."""
    QualificationService(store, default_ruleset()).ensure_engagement()
    n = uuid.uuid4().hex[:8]
    full, bare, empty = f"full-{n}", f"bare-{n}", f"empty-{n}"
    repo = IngestRepository(store)
    repo.upsert_accounts([{"id": a, "props": {"name": a, "domain": f"{a}.example", "employees": 500,
                                               "industry": "software", "segment": "mid_market"}}
                          for a in (full, bare, empty)], [], NOW - 30 * DAY)
    people = [(full, "vp", "VP Operations", "vp"), (full, "eng", "Engineer", "individual"),
              (full, "cfo", "CFO", "c_level"), (bare, "ann", "Analyst", "individual"),
              (bare, "bob", None, None)]
    rows = [{"id": f"{p}-{n}", "account_id": a,
             "props": {"email": f"{p}@{a}.example", "first_name": p.title(), "title": t, "seniority": s}}
            for a, p, t, s in people]
    create_group(store, full, "Platform renewal", "renewal", "test", NOW - 20 * DAY)
    roles = [
        {"contact_id": f"vp-{n}", "account_id": full, "group_id": group_id(full, "default"), "group_name": "default",
         "role": "decision_maker", "source": "sales", "confidence": 1.0},
        {"contact_id": f"vp-{n}", "account_id": full, "group_id": group_id(full, "Platform renewal"),
         "group_name": "Platform renewal", "role": "champion", "source": "import", "confidence": 0.8},
        {"contact_id": f"cfo-{n}", "account_id": full, "group_id": group_id(full, "Platform renewal"),
         "group_name": "Platform renewal", "role": "economic_buyer", "source": "sales", "confidence": 1.0},
    ]
    repo.upsert_contacts(rows, [{"id": f"eng-{n}", "reports_to": f"vp-{n}"}], roles, NOW - 20 * DAY)
    repo.create_activities([
        {"id": f"a{i}-{n}", "contact_id": f"{p}-{n}", "type": t, "at": NOW - i * DAY}
        for i, (p, t) in enumerate([("vp", "webinar_attended"), ("vp", "page_view"), ("eng", "page_view"),
                                    ("cfo", "pricing_page_view"), ("eng", "content_download")], start=1)
    ], batch=uuid.uuid4().hex, now=NOW)
    return [full, bare, empty]


def test_one_statement_reads_what_the_three_reads_read(store):
    ids = [*_accounts(store), "no-such-account"]
    one = join_current(*split_current(store.read("qualification/snapshot_current", ids=ids, half_life_s=H)),
                       as_of=NOW, half_life_s=H)
    three = join_current(store.read("qualification/snapshot_accounts", ids=ids, half_life_s=H),
                         store.read("qualification/snapshot_contacts", ids=ids),
                         store.read("qualification/snapshot_roles", ids=ids), as_of=NOW, half_life_s=H)
    # (its aggregation does not keep the ids' order: the service puts the rows back in it)
    one, three = ({r["account"]["id"]: r for r in rows} for rows in (one, three))
    assert sorted(one) == sorted(three) == sorted(ids[:3])
    assert [one[a]["exact"] for a in ids[:3]] == [three[a]["exact"] for a in ids[:3]] == [True] * 3
    for a in ids[:3]:
        assert to_jsonable(account_snapshot(one[a])) == to_jsonable(account_snapshot(three[a]))
    full, bare, empty = (account_snapshot(one[a]) for a in ids[:3])
    # the comparison is not between two empty answers
    assert len(full.contacts) == 3 and len(bare.contacts) == 2 and empty.contacts == ()
    assert {(g.name, g.kind) for g in full.groups} == {("default", None), ("Platform renewal", "renewal")}
    vp = next(c for c in full.contacts if c.id.startswith("vp-"))
    assert sorted((r.role, r.buying_group) for r in vp.roles) == [("champion", "Platform renewal"),
                                                                  ("decision_maker", "default")]
    assert next(c for c in full.contacts if c.id.startswith("eng-")).reports_to == vp.id
    assert {s.type for s in vp.stats} == {"webinar_attended", "page_view"}


def test_the_service_reads_a_few_accounts_in_one_statement_and_a_page_in_three(store, monkeypatch):
    ids = _accounts(store)
    q = QualificationService(store, default_ruleset())
    names: list[str] = []
    read = store.read

    def recording(name, **params):
        names.append(name)
        return read(name, **params)

    monkeypatch.setattr(store, "read", recording)
    few = q.snapshots(ids, NOW, now=NOW)
    assert [n for n in names if n.startswith("qualification/snapshot")] == ["qualification/snapshot_current"]
    names.clear()
    monkeypatch.setattr(service_module, "ONE_STATEMENT", 2)  # three accounts are now "a page"
    many = q.snapshots(ids, NOW, now=NOW)
    assert [n for n in names if n.startswith("qualification/snapshot")] == [
        "qualification/snapshot_accounts", "qualification/snapshot_contacts", "qualification/snapshot_roles"]
    assert [s.id for s in few] == [s.id for s in many] == ids  # in the order asked
    assert [to_jsonable(s) for s in few] == [to_jsonable(s) for s in many]
