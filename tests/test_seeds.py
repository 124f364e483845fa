"""The seeds: deterministic, well-formed, at the promised ratios; the demo files match the
generator; the scenario accounts have the shape their stories need. No timings here."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from email_validator import EmailNotValidError, validate_email

from seeds import generate
from seeds.catalog import ACTIVITY_TYPES, CHANNELS, DEPARTMENTS, INDUSTRIES, INTENT_TYPES, ROLES, SENIORITIES
from seeds.cli import main
from seeds.generator import ACCOUNT_KEYS, ACTIVITY_KEYS, CONTACT_KEYS, KINDS, LEAD_KEYS, OPPORTUNITY_KEYS, segment_of
from seeds.names import FREE_MAIL_DOMAINS, STUDENT_DOMAINS
from seeds.titles import ENGINEER_TITLES, TITLES
from seeds.writer import write_dataset

ANCHOR = datetime(2026, 11, 1, tzinfo=UTC)
ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$")
KEYS = {"accounts": ACCOUNT_KEYS, "contacts": CONTACT_KEYS, "leads": LEAD_KEYS, "activities": ACTIVITY_KEYS,
        "opportunities": OPPORTUNITY_KEYS}


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
        assert a["at"] >= "2025-10-25"  # a year
        assert a["channel"] in CHANNELS
        assert a["asset"] is None or isinstance(a["asset"], str)
        assert a["campaign"] is None or isinstance(a["campaign"], str)
        types[a["type"]] += 1
    assert types.most_common(1)[0][0] == "email_open"
    assert set(types) == set(ACTIVITY_TYPES), "every type occurs"
    assert types["quote_request"] < types["demo_request"] + types["meeting_booked"]
    assert sum(types[t] for t in INTENT_TYPES) < 0.02 * sum(types.values())  # past buying cycles included
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
    assert min(times) >= as_of - timedelta(days=375)
    with pytest.raises(ValueError):
        generate(5, as_of=datetime(2026, 1, 1))  # naive: ambiguous, refused


# -- the command line ---------------------------------------------------------------------------
def test_cli_writes_the_generated_files(tmp_path, capsys):
    assert main(["--accounts", "30", "--out", str(tmp_path / "cli"), "--seed", "4",
                 "--as-of", "2026-09-01T12:00:00+02:00"]) == 0
    err = capsys.readouterr().err
    assert "seeds:" in err and "30 accounts" in err
    ds = generate(30, seed=4, as_of=datetime(2026, 9, 1, 10, tzinfo=UTC))
    write_dataset(ds, tmp_path / "api", progress=False)
    for kind in KINDS:
        assert (tmp_path / "cli" / f"{kind}.jsonl").read_bytes() == (tmp_path / "api" / f"{kind}.jsonl").read_bytes()
    lines = (tmp_path / "cli" / "accounts.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 30 and json.loads(lines[0])["id"] == "acc-brenner"


def test_cli_help_and_errors(capsys, tmp_path):
    with pytest.raises(SystemExit) as e:
        main(["--help"])
    assert e.value.code == 0
    out = capsys.readouterr().out
    assert "--accounts" in out and "--demo" in out and "--as-of" in out
    with pytest.raises(SystemExit) as e:
        main(["--accounts", "3"])
    assert e.value.code == 2
    with pytest.raises(SystemExit) as e:
        main(["--accounts", "3", "--out", str(tmp_path / "out"), "--as-of", "yesterday"])
    assert e.value.code == 2 and "--as-of" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()  # refused before writing anything


def test_seeds_stand_alone():
    """The service imports seeds, never the other way round."""
    for path in Path(__file__).resolve().parents[1].joinpath("seeds").glob("*.py"):
        assert not re.search(r"^\s*(from|import)\s+graphsvc\b", path.read_text(encoding="utf-8"), re.M), path
