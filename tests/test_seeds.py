"""The seeds: deterministic, well-formed, at the promised ratios; the demo files match the
generator; the scenario accounts have the shape their stories need. No timings here."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from email_validator import EmailNotValidError, validate_email

from seeds import SCENARIO_ACCOUNTS, generate, load_demo, load_manifest
from seeds.catalog import ACTIVITY_TYPES, CHANNELS, DEPARTMENTS, INDUSTRIES, INTENT_TYPES, ROLES, SENIORITIES
from seeds.cli import main
from seeds.demo import DEMO_DIR, write_demo
from seeds.generator import ACCOUNT_KEYS, ACTIVITY_KEYS, CONTACT_KEYS, KINDS, LEAD_KEYS, segment_of
from seeds.names import FREE_MAIL_DOMAINS, STUDENT_DOMAINS
from seeds.titles import ENGINEER_TITLES, TITLES
from seeds.writer import write_dataset

ANCHOR = datetime(2026, 11, 1, tzinfo=timezone.utc)
ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$")
KEYS = {"accounts": ACCOUNT_KEYS, "contacts": CONTACT_KEYS, "leads": LEAD_KEYS, "activities": ACTIVITY_KEYS}


def materialize(ds) -> dict[str, list[dict]]:
    return {kind: list(ds.rows(kind)) for kind in KINDS}


def parse(ts: str) -> datetime:
    assert ISO_Z.match(ts), ts
    dt = datetime.fromisoformat(ts.replace("Z", "+00:00"))
    assert dt.tzinfo is not None and dt.utcoffset() is not None
    return dt


@pytest.fixture(scope="module")
def data() -> dict[str, list[dict]]:
    return materialize(generate(300, seed=11))


# -- determinism -------------------------------------------------------------------------------
def test_same_arguments_give_identical_rows():
    a = materialize(generate(40, seed=3, as_of=ANCHOR))
    b = materialize(generate(40, seed=3, as_of=ANCHOR))
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    c = materialize(generate(40, seed=4, as_of=ANCHOR))
    assert c["contacts"] != a["contacts"] and c["activities"] != a["activities"]


def test_accounts_are_independent_of_order_and_dataset_size():
    small, large = generate(30, seed=5), generate(90, seed=5)
    for i in (0, 3, 4, 17, 29):
        assert small.bundle(i) == large.bundle(i)
    assert list(large.bundles(10, 20)) == [large.bundle(i) for i in range(10, 20)]
    # the lazy streams restart on every access
    assert list(small.accounts) == list(small.accounts)


def test_files_are_byte_identical_whatever_the_number_of_workers(tmp_path):
    ds = generate(260, seed=9)
    write_dataset(ds, tmp_path / "one", jobs=1, progress=False)
    write_dataset(ds, tmp_path / "two", jobs=2, progress=False)
    for kind in KINDS:
        assert (tmp_path / "one" / f"{kind}.jsonl").read_bytes() == (tmp_path / "two" / f"{kind}.jsonl").read_bytes()
    assert not list((tmp_path / "one").glob("*.tmp"))


# -- counts and ratios --------------------------------------------------------------------------
def test_counts_follow_the_ratios():
    ds = generate(400, seed=2, scenarios=False)
    rows = materialize(ds)
    assert len(rows["accounts"]) == 400
    assert 0.88 * 4000 <= len(rows["contacts"]) <= 1.12 * 4000
    assert 0.85 <= len(rows["activities"]) / (10 * len(rows["contacts"])) <= 1.15
    assert len(rows["leads"]) == ds.n_leads == 600

    small = materialize(generate(300, seed=2, contacts_per_account=4, activities_per_contact=3, leads_per_account=0.5,
                                 scenarios=False))
    assert 0.85 * 1200 <= len(small["contacts"]) <= 1.15 * 1200
    assert 0.8 <= len(small["activities"]) / (3 * len(small["contacts"])) <= 1.2
    assert len(small["leads"]) == 150


def test_batches():
    ds = generate(12, seed=1)
    batches = list(ds.iter_batches("contacts", 25))
    assert all(len(b) == 25 for b in batches[:-1]) and 0 < len(batches[-1]) <= 25
    assert [r for b in batches for r in b] == list(ds.contacts)
    with pytest.raises(ValueError):
        list(ds.iter_batches("people", 10))


# -- row shape and values -----------------------------------------------------------------------
def test_every_row_has_exactly_the_ingest_keys(data):
    for kind, rows in data.items():
        assert rows, kind
        for row in rows:
            assert tuple(row) == KEYS[kind], (kind, row)


def test_ids_unique_and_emails_valid(data):
    for kind, rows in data.items():
        ids = [r["id"] for r in rows]
        assert len(ids) == len(set(ids)), kind
    for row in data["contacts"] + data["leads"]:
        try:
            validate_email(row["email"], check_deliverability=False)
        except EmailNotValidError as e:  # pragma: no cover - the message is the point
            pytest.fail(f"{row['id']}: {row['email']}: {e}")
    emails = [c["email"] for c in data["contacts"]]
    assert len(emails) == len(set(emails))


def test_accounts(data):
    accounts = data["accounts"]
    domains = [a["domain"] for a in accounts]
    assert len(domains) == len(set(domains))
    seen: set[str] = set()
    for a in accounts:
        assert a["name"] and a["domain"].endswith(".example")
        assert a["industry"] in INDUSTRIES
        assert isinstance(a["employees"], int) and a["employees"] > 0
        assert a["segment"] == segment_of(a["employees"])
        assert isinstance(a["annual_revenue"], int) and a["annual_revenue"] > 0
        assert re.fullmatch(r"[A-Z]{2}", a["country"]) and a["owner"]
        if a["parent_id"] is not None:
            assert a["parent_id"] in seen  # parents come first
        seen.add(a["id"])
    assert any(a["parent_id"] for a in accounts), "a few subsidiaries"
    assert {a["segment"] for a in accounts} == {"enterprise", "mid_market", "smb"}
    assert set(a["industry"] for a in accounts) == set(INDUSTRIES)


def test_contacts_and_org_charts(data):
    account_ids = {a["id"] for a in data["accounts"]}
    by_id = {c["id"]: c for c in data["contacts"]}
    position = {c["id"]: i for i, c in enumerate(data["contacts"])}
    domain_of = {a["id"]: a["domain"] for a in data["accounts"]}
    with_roles = 0
    for c in data["contacts"]:
        assert c["account_id"] in account_ids
        assert c["email"].endswith("@" + domain_of[c["account_id"]])
        assert c["first_name"] and c["last_name"] and c["title"]
        assert c["seniority"] in SENIORITIES and c["department"] in DEPARTMENTS
        if c["reports_to"] is not None:
            boss = by_id[c["reports_to"]]
            assert boss["account_id"] == c["account_id"]
            assert position[boss["id"]] < position[c["id"]]  # managers first: loadable in order
            assert SENIORITIES.index(boss["seniority"]) <= SENIORITIES.index(c["seniority"])
        for r in c["roles"]:
            assert set(r) == {"role", "buying_group", "source"}
            assert r["role"] in ROLES and r["source"] in ("sales", "import") and r["buying_group"]
        with_roles += bool(c["roles"])
    # reporting lines never loop
    for c in data["contacts"]:
        seen, cur = set(), c
        while cur["reports_to"] is not None:
            assert cur["id"] not in seen
            seen.add(cur["id"])
            cur = by_id[cur["reports_to"]]
    assert 0 < with_roles < 0.5 * len(data["contacts"]), "only some contacts have roles"
    # org charts are deep: engineer -> manager -> director -> VP -> C-level happens
    def depth(c):
        d = 0
        while c["reports_to"]:
            c, d = by_id[c["reports_to"]], d + 1
        return d
    assert max(depth(c) for c in data["contacts"]) >= 4
    titles = {c["title"] for c in data["contacts"]}
    assert titles & {"Leiter Produktion", "Einkaufsleiter", "Prüfingenieur", "Leiter Entwicklung", "Werksleiter"}
    assert any(t.startswith(("Directeur", "Ingénieur", "Responsable")) for t in titles)


def test_titles_match_their_seniority():
    for dept, by_sen in TITLES.items():
        assert dept in DEPARTMENTS
        for sen in SENIORITIES:
            assert by_sen.get(sen) or (dept == "engineering" and sen in ("senior", "individual")), (dept, sen)
    for industry in INDUSTRIES:
        assert set(ENGINEER_TITLES[industry]) == {"senior", "individual"}
    flat = {(t, s) for d in TITLES.values() for s, langs in d.items() for ts in langs.values() for t in ts}
    assert ("Leiter Produktion", "director") in flat and ("Einkaufsleiter", "director") in flat
    assert ("Directeur des opérations", "director") in flat and ("Prüfingenieur", "individual") in flat
    assert not any(s in ("senior", "individual") and re.search(r"\b(VP|Chief|Director|Head)\b", t) for t, s in flat)


def test_activities(data):
    contacts = {c["id"] for c in data["contacts"]}
    anchor = generate(1).as_of
    types = Counter()
    for a in data["activities"]:
        assert a["contact_id"] in contacts
        assert a["type"] in ACTIVITY_TYPES
        assert parse(a["at"]) <= anchor
        assert a["at"] >= "2026-04-01"  # ~6 months
        assert a["channel"] in CHANNELS
        assert a["asset"] is None or isinstance(a["asset"], str)
        assert a["campaign"] is None or isinstance(a["campaign"], str)
        types[a["type"]] += 1
    assert types.most_common(1)[0][0] == "email_open"
    assert set(types) == set(ACTIVITY_TYPES), "every type occurs"
    assert types["quote_request"] < types["demo_request"] + types["meeting_booked"]
    assert sum(types[t] for t in INTENT_TYPES) < 0.01 * sum(types.values())
    # attendance follows registration: never more attended than registered
    assert types["webinar_attended"] < types["webinar_registered"]


def test_leads_exercise_matching(data):
    domains = {a["domain"] for a in data["accounts"]}
    emails = {c["email"] for c in data["contacts"]}
    kinds = Counter()
    anchor = generate(1).as_of
    for lead in data["leads"]:
        assert parse(lead["created_at"]) <= anchor
        domain = lead["email"].split("@", 1)[1]
        if lead["email"] in emails:
            kinds["existing"] += 1
        elif domain in domains:
            kinds["new_person"] += 1
        elif domain.split(".", 1)[1] in domains:
            kinds["subdomain"] += 1
        elif domain in FREE_MAIL_DOMAINS:
            kinds["free_mail"] += 1
        elif domain in STUDENT_DOMAINS:
            kinds["student"] += 1
        else:
            kinds["other"] += 1
    assert all(kinds[k] > 0 for k in ("existing", "new_person", "subdomain", "free_mail", "student", "other")), kinds


def test_timestamps_respect_any_anchor():
    as_of = datetime(2025, 3, 15, 9, 30, 12, tzinfo=timezone(timedelta(hours=2)))
    rows = materialize(generate(25, seed=8, as_of=as_of))
    times = [parse(a["at"]) for a in rows["activities"]] + [parse(x["created_at"]) for x in rows["leads"]]
    assert max(times) <= as_of
    assert min(times) >= as_of - timedelta(days=200)
    with pytest.raises(ValueError):
        generate(5, as_of=datetime(2026, 1, 1))  # naive: ambiguous, refused


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
    datetime(2031, 6, 3, 17, 45, 59, 999_999, tzinfo=timezone.utc),
    datetime(2026, 11, 1, tzinfo=timezone.utc),
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
        as_of = datetime(2027, 2, 10, 15, 0, tzinfo=timezone.utc)
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
    for cid, acts in engaged.items():
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


# -- the command line ---------------------------------------------------------------------------
def test_cli_writes_the_generated_files(tmp_path, capsys):
    assert main(["--accounts", "30", "--out", str(tmp_path / "cli"), "--seed", "4",
                 "--as-of", "2026-09-01T12:00:00+02:00"]) == 0
    err = capsys.readouterr().err
    assert "seeds:" in err and "30 accounts" in err
    ds = generate(30, seed=4, as_of=datetime(2026, 9, 1, 10, tzinfo=timezone.utc))
    write_dataset(ds, tmp_path / "api", progress=False)
    for kind in KINDS:
        assert (tmp_path / "cli" / f"{kind}.jsonl").read_bytes() == (tmp_path / "api" / f"{kind}.jsonl").read_bytes()
    lines = (tmp_path / "cli" / "accounts.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 30 and json.loads(lines[0])["id"] == "acc-brenner"


def test_cli_help_and_errors(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--help"])
    assert e.value.code == 0
    out = capsys.readouterr().out
    assert "--accounts" in out and "--demo" in out and "--as-of" in out
    with pytest.raises(SystemExit) as e:
        main(["--accounts", "3"])
    assert e.value.code == 2
    with pytest.raises(SystemExit):
        main(["--accounts", "3", "--out", "/tmp/x", "--as-of", "yesterday"])


def test_seeds_stand_alone():
    """The service imports seeds, never the other way round."""
    for path in Path(__file__).resolve().parents[1].joinpath("seeds").glob("*.py"):
        assert not re.search(r"^\s*(from|import)\s+graphsvc\b", path.read_text(encoding="utf-8"), re.M), path
