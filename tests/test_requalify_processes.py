"""Issue 10: a full requalification spread over worker processes (`qualification/parallel.py`)
records, for every account, the outcome the pure engine gives for its snapshot, counts every stage
change, keeps only `keep_changes` of them, reports progress page by page, and hands an engine
error back as itself. Both engines; real worker processes (spawned) on the test's database."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from graphsvc.errors import StoreUnavailable
from graphsvc.ingest.service import IngestService, ingest_rules_from
from graphsvc.loader import load
from graphsvc.qualification import service as service_module
from graphsvc.qualification.parallel import requalify_all
from graphsvc.qualification.registry import active_ruleset_for
from graphsvc.qualification.service import QualificationService
from graphsvc.rules import evaluate
from seeds.generator import KINDS, generate

ACCOUNTS = 36


def _loaded(store, monkeypatch) -> tuple[QualificationService, float]:
    monkeypatch.setattr(service_module, "PAGE", 5)  # several pages for two processes, from few accounts
    now = float(int(time.time()))
    ds = generate(accounts=ACCOUNTS, seed=13, as_of=datetime.fromtimestamp(now - 60, UTC))
    rules = ingest_rules_from(active_ruleset_for(store))
    load(IngestService(store, rules), {k: list(getattr(ds, k)) for k in KINDS}, now, batch_size=2_000)
    return QualificationService(store, active_ruleset_for(store)), now


def _stored(store) -> dict[str, dict]:
    out = {}
    after = ""
    while page := [r["id"] for r in store.read("qualification/account_ids", after=after, limit=100)]:
        for i in page:
            out[i] = store.account(i)["account"]
        after = page[-1]
    return out


def test_processes_record_what_the_engine_decides_for_every_account(store, monkeypatch):
    service, now = _loaded(store, monkeypatch)
    ids = sorted(_stored(store))
    assert len(ids) >= ACCOUNTS
    expected = {s.id: evaluate(s, service.ruleset, now) for s in service.snapshots(ids, now)}
    moving = {i for i, q in expected.items() if q.changed}
    assert len(moving) > 5, "the generated accounts leave `target` on their first pass"

    seen: list[tuple[int, int]] = []
    out = requalify_all(service, now, progress=lambda done, changed: seen.append((done, changed)),
                        keep_changes=5, processes=2)

    assert out["accounts"] == len(ids)
    assert 10 < out["worker_peak_rss_mib"] < 2_000  # each worker holds a page, not the dataset
    assert out["changed"] == len(moving)
    assert len(out["changes"]) == 5 and {c["account_id"] for c in out["changes"]} <= moving
    assert [d for d, _ in seen] == sorted(d for d, _ in seen) and seen[-1] == (len(ids), len(moving))
    assert len(seen) == -(-len(ids) // 5)  # one report per page
    stored = _stored(store)
    for i, q in expected.items():
        a = stored[i]
        assert (a["stage"], a["mqa_score"], a["engagement"]) == (q.stage, q.scores.mqa_score, q.scores.engagement), i
        assert (a.get("requalify_at") is None) == (q.requalify_at is None), i
        if q.requalify_at is not None:
            assert abs(a["requalify_at"] - q.requalify_at) < 1e-3, i  # FalkorDB: 15 significant digits
    # What one process decides at the same moment: nothing more to change.
    again = service.requalify_all(now)
    assert (again["accounts"], again["changed"]) == (len(ids), 0)


def test_the_pending_drain_over_processes_requalifies_every_marked_account_once(store, monkeypatch):
    """A load marks its accounts pending (the ingest service leaves their requalification to its
    caller); with POOL_FROM_PAGES pages or more marked, the drain hands the pages to worker
    processes, which record what the engine decides, clear every mark, and leave nothing to change."""
    from graphsvc.qualification import parallel

    service, now = _loaded(store, monkeypatch)
    marked = service.pending_accounts(limit=10_000)
    assert len(marked) >= parallel.POOL_FROM_PAGES * 5, "pages of 5: enough marked accounts for the pool"
    expected = {s.id: evaluate(s, service.ruleset, now) for s in service.snapshots(marked, now)}
    out = parallel.requalify_pending(service, now, processes=2)
    assert "worker_peak_rss_mib" in out  # only worker processes report it: the pages ran there
    assert (out["accounts"], out["changed"]) == (len(marked), sum(q.changed for q in expected.values()))
    assert service.pending_accounts() == []
    stored = _stored(store)
    for i, q in expected.items():
        assert (stored[i]["stage"], stored[i]["mqa_score"]) == (q.stage, q.scores.mqa_score), i
    assert service.requalify(marked, now) == []  # what one process decides at the same moment: no change


def test_a_short_pending_drain_stays_in_this_process(store, monkeypatch):
    from graphsvc.qualification import parallel

    service, now = _loaded(store, monkeypatch)
    marked = service.pending_accounts(limit=10_000)
    monkeypatch.setattr(parallel, "POOL_FROM_PAGES", len(marked) // 5 + 2)  # more pages than are marked
    out = parallel.requalify_pending(service, now, processes=2)
    assert out["accounts"] == len(marked) and "worker_peak_rss_mib" not in out
    assert service.pending_accounts() == []


def _unreachable():
    raise StoreUnavailable("the graph engine is not reachable from the worker")


def test_an_engine_error_in_a_worker_fails_the_pass_as_itself(store, monkeypatch):
    service, now = _loaded(store, monkeypatch)
    monkeypatch.setattr(type(store.executor), "twin", lambda self: _unreachable)
    with pytest.raises(StoreUnavailable, match="not reachable from the worker"):
        requalify_all(service, now, processes=2)


# -- a ruleset's activation through the API, over worker processes (requalify_processes) ------------

def test_a_ruleset_is_applied_over_worker_processes(client, settings, monkeypatch):
    from test_hardening_rules_and_cypher import DEMANDING, engaged_accounts, put_rules, stages

    from graphsvc.qualification import parallel

    engaged_accounts(client, 5)
    monkeypatch.setattr(service_module, "PAGE", 2)  # three pages
    settings.requalify_processes = 2
    passes: list[dict] = []

    def spy(*args, **kwargs):
        out = parallel_requalify_all(*args, **kwargs)
        passes.append({"processes": kwargs["processes"], **out})
        return out

    parallel_requalify_all = parallel.requalify_all
    monkeypatch.setattr(parallel, "requalify_all", spy)
    r = put_rules(client, DEMANDING)
    assert r.status_code == 200, r.text
    assert (r.json()["accounts"], r.json()["changed"]) == (5, 5)
    assert [p["processes"] for p in passes] == [2]
    assert "worker_peak_rss_mib" in passes[0]  # only worker processes report it: the pages ran there
    assert {s for s, _ in stages(client).values()} == {"target"}
    assert client.get("/v1/rules").json()["version"] == r.json()["version"]


def test_a_worker_that_cannot_reach_the_engine_leaves_the_ruleset_unchanged(client, store, settings, monkeypatch):
    from test_hardening_input import assert_error
    from test_hardening_rules_and_cypher import DEMANDING, engaged_accounts, put_rules, stages

    before = engaged_accounts(client, 5)
    version = client.get("/v1/rules").json()["version"]
    monkeypatch.setattr(service_module, "PAGE", 2)
    settings.requalify_processes = 2
    monkeypatch.setattr(type(store.executor), "twin", lambda self: _unreachable)
    body = assert_error(put_rules(client, DEMANDING), 503, "store_unavailable")
    assert "NOT activated" in body["message"] and body["details"]["activated"] is False
    assert client.get("/v1/rules").json()["version"] == version
    assert stages(client) == before
