"""`graphsvc/loader.py` and `graphsvc/demo.py` on a real store (both engines), and the seeds held to
the default ruleset. The seeds stand alone (they import nothing from graphsvc), so this file is what
keeps their vocabularies the ruleset's: renaming an activity type or a role on either side fails
here (and `serve --demo` would otherwise refuse the demo's rows at start-up)."""

from __future__ import annotations

import pytest
from conftest import NOW, iso
from test_demo_engines import EXPECTED
from test_seeds_demo import ANCHOR

from graphsvc.demo import load_demo_into
from graphsvc.errors import InvalidInput
from graphsvc.ingest.service import IngestService, ingest_rules_from
from graphsvc.loader import KINDS, batched, load, managers_first
from graphsvc.qualification.registry import active_ruleset, active_ruleset_for
from graphsvc.qualification.service import QualificationService
from graphsvc.rules import ROLE_SOURCES, default_ruleset
from graphsvc.state import AppState
from seeds import generate, load_demo, load_manifest
from seeds.catalog import ACTIVITY_TYPES, INTENT_TYPES, ROLES, SALES_ACTIVITY_TYPES
from seeds.catalog import ROLE_SOURCES as SEED_ROLE_SOURCES

RS = default_ruleset()


# -- the seeds speak the default ruleset's vocabularies --------------------------------------------
def test_the_seed_catalog_is_the_default_rulesets_vocabulary():
    assert set(ACTIVITY_TYPES) | set(SALES_ACTIVITY_TYPES) == set(RS.activities.points)
    assert not set(ACTIVITY_TYPES) & set(SALES_ACTIVITY_TYPES)
    assert set(INTENT_TYPES) == set(RS.activities.intent)
    assert set(ROLES) == set(RS.roles.vocabulary)
    assert set(SEED_ROLE_SOURCES) <= set(ROLE_SOURCES)


@pytest.mark.parametrize("rows", ["demo", "generated"])
def test_every_seeded_row_uses_the_rulesets_vocabulary(rows):
    data = load_demo(ANCHOR) if rows == "demo" else _generated()
    assert {a["type"] for a in data["activities"]} <= set(RS.activities.points)
    roles = [r for c in data["contacts"] for r in c.get("roles") or ()]
    assert roles, "the seeds assign roles"
    assert {r["role"] for r in roles} <= set(RS.roles.vocabulary)
    assert {r["source"] for r in roles} <= set(ROLE_SOURCES)


def _generated() -> dict[str, list[dict]]:
    ds = generate(accounts=12, seed=3, as_of=ANCHOR)
    return {k: list(getattr(ds, k)) for k in KINDS}


# -- loader: batching and managers first ------------------------------------------------------------
def test_batched():
    assert list(batched(range(5), 2)) == [[0, 1], [2, 3], [4]]
    assert list(batched([], 3)) == []


def test_managers_come_before_their_reports_within_each_account():
    rows = [
        {"id": "e1", "account_id": "a", "reports_to": "mgr"},
        {"id": "mgr", "account_id": "a", "reports_to": "vp"},
        {"id": "vp", "account_id": "a", "reports_to": None},
        {"id": "x1", "account_id": "b", "reports_to": "x2"},
        {"id": "x2", "account_id": "b", "reports_to": "x1"},  # a cycle: both kept, no endless loop
        {"id": "y", "account_id": "b", "reports_to": "elsewhere"},  # a manager outside the run
    ]
    out = [r["id"] for r in managers_first(rows)]
    assert sorted(out) == sorted(r["id"] for r in rows)
    assert out[:3] == ["vp", "mgr", "e1"] and set(out[3:]) == {"x1", "x2", "y"}


def test_load_goes_through_ingest_in_batches(store):
    """Batches of two: a manager listed after their report still lands first; progress is
    reported per batch; `on_activities` sees the touched accounts of every activity batch."""
    data = {
        "accounts": [{"id": "acme", "name": "Acme", "domain": "acme.example"}],
        "contacts": [
            {"id": "e1", "email": "e1@acme.example", "account_id": "acme", "reports_to": "mgr"},
            {"id": "e2", "email": "e2@acme.example", "account_id": "acme", "reports_to": "mgr"},
            {"id": "mgr", "email": "mgr@acme.example", "account_id": "acme", "reports_to": "vp"},
            {"id": "vp", "email": "vp@acme.example", "account_id": "acme",
             "roles": [{"role": "decision_maker", "source": "sales"}]},
        ],
        "activities": [{"id": f"a{i}", "contact_id": "e1", "type": "page_view", "at": iso(NOW - i * 3600)}
                       for i in range(3)],
    }
    seen, touched = [], []
    report = load(IngestService(store, ingest_rules_from(active_ruleset_for(store))), data, NOW, batch_size=2,
                  progress=lambda kind, done, secs: seen.append((kind, done)),
                  on_activities=lambda ids, now: touched.append((ids, now)) or 1)
    assert report.rows == {"accounts": 1, "contacts": 4, "leads": 0, "activities": 3}
    assert report.stage_changes == 2 and report.seconds >= 0
    assert seen == [("accounts", 1), ("contacts", 2), ("contacts", 4), ("activities", 2), ("activities", 3)]
    assert touched == [(["acme"], NOW), (["acme"], NOW)]
    assert store.counts()["contacts"] == 4 and store.counts()["activities"] == 3
    assert {c: store.contact(c)["reports_to"] for c in ("e1", "e2", "mgr", "vp")} == \
        {"e1": "mgr", "e2": "mgr", "mgr": "vp", "vp": None}


def test_a_row_outside_the_rulesets_vocabulary_stops_the_load(store):
    """What a renamed activity type in the seeds would do to `serve --demo`."""
    with pytest.raises(InvalidInput, match="nothing was written") as e:
        load(IngestService(store, ingest_rules_from(active_ruleset_for(store))),
             {"activities": [{"id": "a1", "contact_id": "c", "type": "carrier_pigeon", "at": iso(NOW)}]}, NOW)
    assert "carrier_pigeon" in str(e.value.details)
    assert store.counts()["activities"] == 0


# -- the demo, loaded in process ----------------------------------------------------------------
def test_the_demo_loads_and_its_scenarios_end_in_their_documented_stages(store, settings, clock):
    state = AppState(settings=settings, store=store, clock=clock)
    report = load_demo_into(state)
    assert report.rows == load_manifest()["counts"]
    assert store.counts()["activities"] == report.rows["activities"]
    rs = active_ruleset(state)
    assert {a["type"] for a in load_demo(ANCHOR)["activities"]} <= set(rs.activities.points)
    QualificationService(store, rs).requalify_all(clock())
    q = QualificationService(store, rs)
    for account_id, want in EXPECTED.items():
        result, _, _ = q.evaluate_at(account_id, clock(), clock())
        got = {"stage": result.stage, "next_action": result.next_action.action}
        if "missing" in want:
            got["missing"] = list(result.buying_center.missing)
        assert got == want, account_id
        assert store.account(account_id)["account"]["stage"] == want["stage"]
    # the story's introduction path (seeds/demo/manifest.json): from the engineers, through their manager
    result, _, _ = q.evaluate_at("acc-lumetra", clock(), clock())
    paths = {c.contact_id: c.intro_path for c in result.buying_center.candidates["decision_maker"]}
    assert paths["con-lumetra-03"] == ("con-lumetra-07", "con-lumetra-06", "con-lumetra-04", "con-lumetra-03")
