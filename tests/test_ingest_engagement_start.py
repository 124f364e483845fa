"""Issue 10, the ingest goal (branch ingest3): `graphsvc serve` on an empty graph keeps the
engagement aggregates from the first activity (ingest/engagement_from_start), so the
requalification each activity batch implies reads them instead of replaying the accounts' history
(before, only a first full requalification started them); a graph with contacts is left as it was.
The other bulk writers do the same: the loader behind `graphsvc seed` and the demo, and file imports
(before, a 100k seed needed an 11-minute rebuild from history at its first full pass).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from click.testing import CliRunner
from conftest import NOW, iso
from test_engagement_aggregates import assert_close

from graphsvc import cli
from graphsvc.ingest.repository import IngestRepository
from graphsvc.ingest.service import IngestService, ingest_rules_from
from graphsvc.loader import load
from graphsvc.qualification.service import QualificationService
from graphsvc.qualification.snapshots import account_snapshot
from graphsvc.rules.loading import default_ruleset
from graphsvc.rules.result import to_jsonable

DAY = 86400.0
HALF_LIFE_S = 30 * DAY  # the default ruleset's


def _account(client, aid: str = "acme") -> None:
    r = client.post("/v1/accounts", json={"accounts": [{"id": aid, "name": "Acme", "domain": f"{aid}.example",
                                                         "industry": "industrial automation", "employees": 400,
                                                         "annual_revenue": 8e7, "country": "DE",
                                                         "segment": "mid_market"}]})
    assert r.status_code == 200, r.text
    contacts = [{"id": f"{aid}-{i}", "email": f"p{i}@{aid}.example", "account_id": aid, "title": title,
                 "seniority": sen, "department": dep, "roles": roles}
                for i, (title, sen, dep, roles) in enumerate([
                    ("VP Operations", "vp", "operations", [{"role": "decision_maker", "source": "sales"}]),
                    ("Process Engineer", "individual", "engineering", []),
                    ("CFO", "c_level", "finance", [{"role": "economic_buyer", "source": "sales"}])])]
    r = client.post("/v1/contacts", json={"contacts": contacts})
    assert r.status_code == 200, r.text


def _activities(aid: str, n: int, start: int = 0) -> list[dict]:
    kinds = ("demo_request", "webinar_attended", "content_download", "pricing_page_view", "meeting_booked")
    return [{"id": f"{aid}-a{start + i}", "contact_id": f"{aid}-{i % 3}", "type": kinds[i % len(kinds)],
             "at": iso(NOW - (i % 20) * DAY)} for i in range(n)]


# -- the engagement aggregates from the start ------------------------------------------------------

def test_an_empty_graph_keeps_aggregates_from_the_start_and_a_second_call_changes_nothing(store):
    repo = IngestRepository(store)
    assert repo.engagement_from_start(HALF_LIFE_S) is True
    assert store.read_one("qualification/engagement_index") == {"half_life_s": HALF_LIFE_S, "built": True}
    assert repo.engagement_from_start(7 * DAY) is False  # the index is there: left as it is
    assert store.read_one("qualification/engagement_index") == {"half_life_s": HALF_LIFE_S, "built": True}


def test_a_graph_with_contacts_is_left_to_the_full_pass(store):
    repo = IngestRepository(store)
    repo.upsert_accounts([{"id": "a1", "props": {"name": "A"}}], [], NOW)
    repo.upsert_contacts([{"id": "c1", "account_id": "a1", "props": {"email": "c1@a.example"}}], [], [], NOW)
    assert repo.engagement_from_start(HALF_LIFE_S) is False
    assert store.read_one("qualification/engagement_index") is None


def test_aggregates_kept_from_the_start_are_exact_and_equal_history(store, client):
    IngestRepository(store).engagement_from_start(HALF_LIFE_S)
    _account(client)
    for start in (0, 40):  # two batches: the second adds to the first's aggregates
        r = client.post("/v1/activities", json={"activities": _activities("acme", 40, start)})
        assert r.status_code == 200, r.text
    q = QualificationService(store, default_ruleset())
    current = q.snapshots_from_aggregates(["acme"], NOW)
    assert current[0]["exact"] is True  # read from the aggregates, no replay
    replayed = account_snapshot(q.snapshots_from_history(["acme"], NOW)[0])
    assert_close(to_jsonable(account_snapshot(current[0])), to_jsonable(replayed))
    assert_close(to_jsonable(q.snapshots(["acme"], NOW, now=NOW)[0]), to_jsonable(replayed))


@pytest.fixture
def no_server(monkeypatch, cli_store):
    """`serve` without an engine or a socket (as in test_auth)."""
    import uvicorn

    calls: list[dict] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    return calls


def test_serve_starts_the_aggregates_on_an_empty_graph(tmp_path, no_server, cli_store):
    assert CliRunner().invoke(cli.main, ["serve", "--data-dir", str(tmp_path)]).exit_code == 0
    assert no_server  # it went on to serve
    assert cli_store.read_one("qualification/engagement_index") == {"half_life_s": HALF_LIFE_S, "built": True}


# -- the other bulk writers -------------------------------------------------------------------------

def _exact_and_equal_to_history(store, ids: list[str]) -> None:
    q = QualificationService(store, default_ruleset())
    current = q.snapshots_from_aggregates(ids, NOW)
    assert [r["exact"] for r in current] == [True] * len(ids)  # read from the aggregates, no replay
    replayed = {r["account"]["id"]: r for r in q.snapshots_from_history(ids, NOW)}
    assert sorted(replayed) == sorted(ids)
    for row in current:
        assert_close(to_jsonable(account_snapshot(row)), to_jsonable(account_snapshot(replayed[row["account"]["id"]])))


def test_the_loader_keeps_aggregates_from_the_start_on_an_empty_graph(store):
    from seeds.generator import generate

    data = generate(accounts=4, seed=3, as_of=datetime.fromtimestamp(NOW, UTC))
    rows = {k: getattr(data, k) for k in ("accounts", "contacts", "leads", "activities")}
    report = load(IngestService(store, ingest_rules_from(default_ruleset())), rows, NOW, batch_size=20)
    assert report.rows["activities"] > 40  # several batches, each adding to the aggregates
    assert store.read_one("qualification/engagement_index") == {"half_life_s": HALF_LIFE_S, "built": True}
    ids = sorted(r["id"] for r in store.read("qualification/account_ids", after="", limit=100))
    assert len(ids) == 4
    _exact_and_equal_to_history(store, ids)


def test_the_loader_leaves_a_graph_with_contacts_to_the_full_pass(store, client):
    _account(client)
    load(IngestService(store, ingest_rules_from(default_ruleset())),
         {"activities": _activities("acme", 10)}, NOW)
    assert store.read_one("qualification/engagement_index") is None


def test_a_file_import_keeps_aggregates_from_the_start_on_an_empty_graph(store, tmp_path):
    from test_import_files import SF, run, write_csv

    tasks = write_csv(tmp_path / "Task.csv", [
        ["Id", "WhoId", "Subject", "Status", "TaskSubtype", "Type", "ActivityDate", "CompletedDateTime"],
        ["00T1", "11", "Intro call", "Completed", "Call", "Call", "2026-10-01", "2026-10-01T09:30:00.000Z"],
        ["00T2", "12", "Pricing", "Completed", "Email", "Email", "2026-10-02", ""],
    ])
    run(store, [SF / "Account.csv", SF / "Contact.csv", tasks])
    assert store.read_one("qualification/engagement_index") == {"half_life_s": HALF_LIFE_S, "built": True}
    _exact_and_equal_to_history(store, ["4", "7"])


def test_a_file_check_writes_nothing(store, tmp_path):
    from test_import_files import SF, run

    run(store, [SF / "Account.csv"], dry_run=True)
    assert store.read_one("qualification/engagement_index") is None
