"""The demo dataset and the scenario accounts: the demo files match the generator, loading shifts
them to end at now, and each scenario account has the shape its story needs. No timings here."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta, timezone

import pytest
from test_seeds import materialize, parse

from seeds import SCENARIO_ACCOUNTS, generate, load_demo, load_manifest
from seeds.catalog import INTENT_TYPES
from seeds.demo import DEMO_DIR, write_demo
from seeds.generator import KINDS

ANCHOR = datetime(2026, 11, 1, tzinfo=UTC)


# -- the demo -----------------------------------------------------------------------------------
def test_demo_files_are_what_the_generator_produces(tmp_path):
    manifest = write_demo(tmp_path)
    for kind in KINDS:
        assert (tmp_path / f"{kind}.jsonl").read_bytes() == (DEMO_DIR / f"{kind}.jsonl").read_bytes(), \
            f"seeds/demo/{kind}.jsonl drifted from the generator: run `python -m seeds --demo`"
    assert json.loads((DEMO_DIR / "manifest.json").read_text(encoding="utf-8")) == manifest
    size = sum(p.stat().st_size for p in DEMO_DIR.iterdir())
    assert size < 2_000_000


def test_manifest():
    m = load_manifest()
    assert m["as_of"] == "2026-11-01T00:00:00Z"
    rows = load_demo(ANCHOR)
    assert m["counts"] == {k: len(rows[k]) for k in KINDS}
    assert {v["account_id"] for v in m["scenarios"].values()} == set(SCENARIO_ACCOUNTS.values())


@pytest.mark.parametrize("now", [
    datetime(2031, 6, 3, 17, 45, 59, 999_999, tzinfo=UTC),
    datetime(2026, 11, 1, tzinfo=UTC),
    datetime(2024, 2, 29, 8, 0, 0, 500_000, tzinfo=timezone(timedelta(hours=-5))),
])
def test_load_demo_shifts_everything_to_end_at_now(now):
    original = load_demo(ANCHOR)
    shifted = load_demo(now)
    shift = int(now.timestamp() // 1) - int(ANCHOR.timestamp())
    for kind, field in (("activities", "at"), ("leads", "created_at")):
        for before, after in zip(original[kind], shifted[kind]):
            assert parse(after[field]) <= now
            assert (parse(after[field]) - parse(before[field])).total_seconds() == shift
    latest = max(parse(a["at"]) for a in shifted["activities"])
    assert now - latest < timedelta(days=2), "the demo looks recent"
    assert shifted["contacts"] == original["contacts"] and shifted["accounts"] == original["accounts"]
    with pytest.raises(ValueError):
        load_demo(datetime(2026, 1, 1))


# -- the scenario accounts ------------------------------------------------------------------------
@pytest.fixture(scope="module", params=["demo", "other-anchor"])
def scenario(request):
    """Scenario rows from the demo files, and from the generator at another anchor: the stories
    hold whenever they are generated. Yields (rows by account id, as_of)."""
    if request.param == "demo":
        rows, as_of = load_demo(ANCHOR), ANCHOR
    else:
        as_of = datetime(2027, 2, 10, 15, 0, tzinfo=UTC)
        rows = materialize(generate(6, seed=99, as_of=as_of))
    by_account: dict[str, dict] = defaultdict(lambda: {"contacts": [], "activities": []})
    contact_account = {}
    for a in rows["accounts"]:
        by_account[a["id"]]["account"] = a
    for c in rows["contacts"]:
        by_account[c["account_id"]]["contacts"].append(c)
        contact_account[c["id"]] = c["account_id"]
    for act in rows["activities"]:
        by_account[contact_account[act["contact_id"]]]["activities"].append(act)
    return by_account, as_of


def _engaged(acc) -> dict[str, list[dict]]:
    out = defaultdict(list)
    for a in acc["activities"]:
        out[a["contact_id"]].append(a)
    return out


def _days_ago(a, as_of) -> float:
    return (as_of - parse(a["at"])).total_seconds() / 86400


def test_scenario_brenner_one_engineer_webinar_and_form(scenario):
    accounts, as_of = scenario
    acc = accounts[SCENARIO_ACCOUNTS["contact_mql_not_sql"]]
    engaged = _engaged(acc)
    assert list(engaged) == ["con-brenner-06"], "one contact engaged"
    person = next(c for c in acc["contacts"] if c["id"] == "con-brenner-06")
    assert person["title"] == "Process Engineer" and person["seniority"] == "individual"
    types = Counter(a["type"] for a in engaged["con-brenner-06"])
    assert types["webinar_registered"] == types["webinar_attended"] == types["form_submitted"] == 1
    assert types["email_open"] >= 2
    assert any(a["type"] == "form_submitted" and a["asset"] == "process-overview" for a in acc["activities"])
    assert not set(types) & set(INTENT_TYPES)
    assert all(_days_ago(a, as_of) <= 30 for a in acc["activities"])


def test_scenario_lumetra_engineers_engaged_no_decision_maker(scenario):
    accounts, as_of = scenario
    acc = accounts[SCENARIO_ACCOUNTS["mqa_without_decision_maker"]]
    assert acc["account"]["employees"] < 1000
    by_id = {c["id"]: c for c in acc["contacts"]}
    engaged = _engaged(acc)
    assert 4 <= len(engaged) <= 5
    for cid in engaged:
        c = by_id[cid]
        assert c["seniority"] in ("senior", "individual") and "Engineer" in c["title"]
        assert not any(r["role"] in ("decision_maker", "economic_buyer") for r in c["roles"])
        # a reporting path from every engaged engineer up to the VP Operations
        chain, cur = [], c
        while cur["reports_to"]:
            cur = by_id[cur["reports_to"]]
            chain.append(cur["title"])
        assert "Director of Engineering" in chain and "VP Operations" in chain
    types = {a["type"] for a in acc["activities"]}
    assert {"content_download", "capability_page_view", "webinar_attended", "spec_shared"} <= types
    spec = next(a for a in acc["activities"] if a["type"] == "spec_shared")
    assert _days_ago(spec, as_of) <= 14
    silent = {c["title"] for c in acc["contacts"] if c["id"] not in engaged}
    assert {"VP Operations", "Director of Engineering", "Chief Executive Officer"} <= silent


def test_scenario_castellan_vp_operations_and_quote(scenario):
    accounts, as_of = scenario
    acc = accounts[SCENARIO_ACCOUNTS["sql_vp_operations_quote"]]
    assert acc["account"]["employees"] < 1000
    vp = next(c for c in acc["contacts"] if c["title"] == "VP of Operations")
    assert {"role": "decision_maker", "buying_group": "default", "source": "sales"} in vp["roles"]
    vp_acts = _engaged(acc)[vp["id"]]
    assert {"pricing_page_view", "meeting_booked"} <= {a["type"] for a in vp_acts}
    assert min(_days_ago(a, as_of) for a in vp_acts) <= 7
    quotes = [a for a in acc["activities"] if a["type"] == "quote_request"]
    assert len(quotes) == 1 and _days_ago(quotes[0], as_of) <= 7
    assert len(_engaged(acc)) >= 3


def test_scenario_nordwerk_enterprise_without_economic_buyer(scenario):
    accounts, as_of = scenario
    acc = accounts[SCENARIO_ACCOUNTS["enterprise_missing_economic_buyer"]]
    assert acc["account"]["employees"] >= 1000 and acc["account"]["segment"] == "enterprise"
    engaged = _engaged(acc)
    roles = {r["role"]: c for c in acc["contacts"] for r in c["roles"]}
    assert "economic_buyer" not in roles
    for role in ("decision_maker", "technical_evaluator"):
        assert roles[role]["id"] in engaged
        assert min(_days_ago(a, as_of) for a in engaged[roles[role]["id"]]) <= 14
    finance = [c for c in acc["contacts"] if c["department"] == "finance"]
    assert finance and not any(c["id"] in engaged for c in finance)
    assert any(a["type"] in INTENT_TYPES and _days_ago(a, as_of) <= 14 for a in acc["activities"])


def test_scenarios_come_first_and_can_be_left_out():
    assert [a["id"] for a in generate(6).accounts][:4] == list(SCENARIO_ACCOUNTS.values())
    assert not set(SCENARIO_ACCOUNTS.values()) & {a["id"] for a in generate(6, scenarios=False).accounts}
