"""CRM state imported from the real export files of ../shared/data and variants made from them, on
both engines: sales activities (Salesforce Tasks / Events, HubSpot engagement exports), buying roles
through the ruleset's `roles.crm_map` (HubSpot Buying Role, Salesforce OpportunityContactRole) with
their roles_changed events, owners resolved through a users export, lifecycle stage and lead status,
HubSpot deals."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from test_import_files import EMPTY, HS, NOW, PORTAL, SF, graph, rows_of, run, write_csv

from graphsvc.rules import crm_role, default_ruleset, default_ruleset_text, load_ruleset, ruleset_errors

HS_FILES = [HS / "hubspot-shaped-companies-export.csv", HS / "hubspot-shaped-contacts-export.csv"]


def events(store, kind: str = "roles_changed") -> list[dict]:
    return store.read("events/feed", after=0, types=[kind], account=None, limit=1000)


def activity_types(store, account_ids: list[str]) -> list[tuple[str, str]]:
    got = store.read("qualification/snapshots_history", ids=account_ids, as_of=NOW, half_life_s=2592000.0)
    return sorted((c["contact"]["id"], t) for row in got for c in row["contacts"] for t in c["stats"][0])


# -- sales activities ------------------------------------------------------------------------------
def test_the_default_vocabulary_has_the_sales_side_types():
    points = default_ruleset().activities.points
    assert {t: points[t] for t in ("call", "email_sent", "email_received", "meeting_held")} == {
        "call": 10.0, "email_sent": 0.0, "email_received": 20.0, "meeting_held": 40.0}


def test_salesforce_tasks_and_events_become_sales_activities(store, tmp_path):
    tasks = write_csv(tmp_path / "Task.csv", [
        ["Id", "WhoId", "Subject", "Status", "TaskSubtype", "Type", "ActivityDate", "CompletedDateTime"],
        ["00T1", "11", "Intro call", "Completed", "Call", "Call", "2026-10-01", "2026-10-01T09:30:00.000Z"],
        ["00T2", "12", "Pricing", "Completed", "Email", "Email", "2026-10-02", ""],
        ["00T3", "13", "Send brochure", "Completed", "Task", "Other", "2026-10-03", ""],
        ["00T4", "14", "Follow-up call", "Not Started", "Call", "Call", "2026-12-20", ""],
        ["00T5", "00Q6g000001AbcD", "Lead call", "Completed", "Call", "Call", "2026-10-04", ""],
    ])
    events_file = write_csv(tmp_path / "Event.csv", [
        ["Id", "WhoId", "Subject", "StartDateTime", "EndDateTime"],
        ["00U1", "15", "Site visit", "2026-10-20T13:00:00.000Z", "2026-10-20T15:00:00.000Z"],
        ["00U2", "16", "Quarterly review", "2027-01-15T13:00:00.000Z", "2027-01-15T14:00:00.000Z"],
    ])
    files = [SF / "Account.csv", SF / "Contact.csv", tasks, events_file]
    report = run(store, files, skip_invalid=True)  # the default ruleset has the sales-side types
    assert [(p["line"], p["column"]) for p in report.problems] == [(6, "WhoId")]  # a lead's id is not a contact
    skipped = sorted((n["file"], n["line"]) for n in report.notes if n["kind"] == "activities")
    assert skipped == [("Event.csv", 3), ("Task.csv", 4), ("Task.csv", 5)]  # future event, to-do, not started
    assert report.counts["activities"].created == 3
    assert activity_types(store, ["4", "7"]) == [("11", "call"), ("12", "email_sent"), ("15", "meeting_held")]
    again = run(store, files, skip_invalid=True)
    assert (again.counts["activities"].created, again.counts["activities"].updated) == (0, 3)
    # A ruleset without them refuses such rows, saying what to add.
    text = default_ruleset_text()
    for line in ("call = 10.0", "email_sent = 0.0", "email_received = 20.0", "meeting_held = 40.0"):
        text = "\n".join(x for x in text.splitlines() if not x.startswith(line))
    refused = run(store, files, skip_invalid=True, ruleset=load_ruleset(text))
    assert {p["message"].split(" not in")[0] for p in refused.problems if p["field"] == "type"} == {
        "activity type(s) call", "activity type(s) email_sent", "activity type(s) meeting_held"}


def _engagements(tmp_path):
    """HubSpot activity exports of the contacts of the HubSpot sample: one file per type, and one with
    an Activity type column. Times are portal-local."""
    calls = write_csv(tmp_path / "calls.csv", [
        ["Record ID", "Call Title", "Activity date", "Call outcome", "Call status", "Call direction",
         "Associated Contact IDs", "Associated Company IDs"],
        ["7001", "Discovery", "2026-10-01 10:00", "Connected", "COMPLETED", "Outbound", "52212", "9000001507"],
        ["7002", "Follow-up", "2026-10-02 10:00", "No answer", "COMPLETED", "Outbound", "52717", "9000001507"],
        ["7003", "Planned", "2026-10-03 10:00", "", "SCHEDULED", "Outbound", "51101", "9000000548"],
        ["7004", "Inbound", "2026-10-04 10:00", "", "", "Inbound", "51000;51101", "9000000548"],
    ])
    meetings = write_csv(tmp_path / "meetings.csv", [
        ["Record ID", "Meeting name", "Activity date", "Meeting start time", "Meeting outcome",
         "Associated Contact IDs"],
        ["7101", "Site visit", "2026-10-20 13:00", "2026-10-20 13:00", "Completed", "52212"],
        ["7102", "Review", "2026-10-21 13:00", "2026-10-21 13:00", "Canceled", "52717"],
        ["7103", "Kick-off", "2027-01-10 13:00", "2027-01-10 13:00", "Scheduled", "52717"],
        ["7104", "Workshop", "2026-10-25 13:00", "2026-10-25 13:00", "Scheduled", "51808"],
    ])
    mixed = write_csv(tmp_path / "activities.csv", [
        ["Record ID", "Activity type", "Activity date", "Email subject", "Email direction", "Associated Contact IDs"],
        ["7201", "EMAIL", "2026-10-05 09:00", "Proposal", "EMAIL", "52212"],
        ["7202", "INCOMING_EMAIL", "2026-10-06 09:00", "Re: Proposal", "INCOMING_EMAIL", "52212"],
        ["7203", "NOTE", "2026-10-06 10:00", "", "", "52212"],
        ["7204", "TASK", "2026-10-06 11:00", "", "", "52212"],
        ["7205", "EMAIL", "2026-10-07 09:00", "Hello", "", "99999"],
    ])
    return [calls, meetings, mixed]


def test_hubspot_engagement_exports_become_sales_activities(store, tmp_path):
    files = [*HS_FILES, *_engagements(tmp_path)]
    report = run(store, files, tz=PORTAL, skip_invalid=True)
    assert [(p["file"], p["line"], p["column"]) for p in report.problems] == [
        ("activities.csv", 6, "Associated Contact IDs")]  # an unknown contact
    notes = sorted((n["file"], n["line"], n["field"]) for n in report.notes if n["kind"] == "activities"
                   and n["file"] != "hubspot-shaped-contacts-export.csv")
    assert notes == [("activities.csv", 4, "activity_type"), ("activities.csv", 5, "activity_type"),
                     ("calls.csv", 3, "call_outcome"), ("calls.csv", 4, "call_status"),
                     ("calls.csv", 5, "contact_id"),  # two contacts: the first is used
                     ("meetings.csv", 3, "meeting_outcome"), ("meetings.csv", 4, "at")]
    sales = {"call", "email_sent", "email_received", "meeting_held"}
    got = [x for x in activity_types(store, ["9000001507", "9000000548"]) if x[1] in sales]
    assert got == [("51000", "call"), ("51808", "meeting_held"), ("52212", "call"), ("52212", "email_received"),
                   ("52212", "email_sent"), ("52212", "meeting_held")]
    again = run(store, files, tz=PORTAL, skip_invalid=True)
    assert again.counts["activities"].created == 0
    # Portal-local times need --tz, as every HubSpot time does.
    no_tz = run(store, files[2:3])
    assert no_tz.problem_count and all("--tz" in p["message"] for p in no_tz.problems)


# -- buying roles ---------------------------------------------------------------------------------
def test_the_crm_role_table_is_in_the_ruleset_and_compared_loosely():
    rs = default_ruleset()
    for label, role in [("Decision Maker", "decision_maker"), ("DECISION_MAKER", "decision_maker"),
                        ("Economic Buyer", "economic_buyer"), ("Economic Decision Maker", "economic_buyer"),
                        ("Evaluator", "technical_evaluator"), ("Executive Sponsor", "decision_maker"),
                        ("EXECUTIVE_SPONSOR", "decision_maker"), ("Influencer", "influencer"),
                        ("Technical Buyer", "technical_evaluator"), ("Business User", "end_user"),
                        ("BUDGET_HOLDER", "economic_buyer"), ("champion", "champion"), ("END_USER", "end_user"),
                        ("BLOCKER", "blocker"), ("LEGAL_AND_COMPLIANCE", "legal"), ("Legal & Compliance", "legal"),
                        ("  évaluator ", "technical_evaluator")]:
        assert crm_role(label, rs) == (True, role), label
    assert crm_role("Other", rs) == crm_role("OTHER", rs) == (True, None)  # says nothing
    assert crm_role("Chief Wizard", rs) == (False, None)  # unknown: never guessed
    # A ruleset adds its own (localised) labels; a label must map to a role of the vocabulary.
    custom = load_ruleset(default_ruleset_text().replace('"Legal" = "legal"\n', '"Legal" = "legal"\n'
                                                         '"Entscheider" = "decision_maker"\n'))
    assert crm_role("ENTSCHEIDER", custom) == (True, "decision_maker") and custom.version != rs.version
    bad = ruleset_errors(default_ruleset_text().replace('"Legal" = "legal"\n', '"Legal" = "lawyer"\n'
                                                        '"LEGAL_" = "legal"\n'))
    assert {e["path"] for e in bad} == {"roles.crm_map.Legal", "roles.crm_map.LEGAL_"}


def test_hubspot_buying_roles_are_set_with_their_events_once(store, tmp_path):
    report = run(store, HS_FILES, tz=PORTAL)
    assert report.counts["contacts"].roles == 5 and graph(store)["imported_roles"] == 5
    changed = events(store)
    assert sorted(json.loads(e["payload"])["contact_id"] for e in changed) == ["51000", "51101", "52212", "52616",
                                                                             "52717"]
    assert {e["actor"] for e in changed} == {"import"}
    again = run(store, HS_FILES, tz=PORTAL)
    assert again.counts["contacts"].roles == 0 and len(events(store)) == len(changed)
    # HubSpot's internal values work as its labels do; a label the table does not know is reported on its
    # row, never guessed, and the contact is still imported.
    contacts = rows_of(HS / "hubspot-shaped-contacts-export.csv")
    h = {name: i for i, name in enumerate(contacts[0])}
    contacts[3][h["Buying Role"]] = "TECHNICAL_BUYER;Chief Wizard"
    report = run(store, [write_csv(tmp_path / "c.csv", contacts)], tz=PORTAL)
    assert [(n["id"], n["field"]) for n in report.notes if "not a known buying role" in n["message"]] == [
        ("51202", "buying_role")]
    assert [r["role"] for r in store.contact("51202")["roles"]] == ["technical_evaluator"]
    assert len(events(store)) == len(changed) + 1


def _contact_roles(tmp_path):
    return write_csv(tmp_path / "OpportunityContactRole.csv", [
        ["Id", "ContactId", "OpportunityId", "Role", "IsPrimary"],
        ["00K1", "@13", "@1", "Decision Maker", "True"],  # Data Loader ids
        ["00K2", "14", "1", "Economic Decision Maker", "False"],
        ["00K3", "15", "2", "Technical Buyer", "True"],
        ["00K4", "16", "2", "Other", "False"],
        ["00K5", "17", "3", "Chief Wizard", "False"],
        ["00K6", "18", "3", "business user", "False"],
        ["00K7", "99", "3", "Influencer", "False"],
        ["00K8", "13", "4", "Decision Maker", "False"],  # the same role again, on another deal
    ])


def test_salesforce_opportunity_contact_roles(store, tmp_path):
    files = [SF / "Account.csv", SF / "Contact.csv", _contact_roles(tmp_path)]
    blocked = run(store, files)
    assert [(p["line"], p["column"]) for p in blocked.problems] == [(6, "Role"), (8, "ContactId")]
    assert "Chief Wizard" in blocked.problems[0]["message"] and "crm_map" in blocked.problems[0]["message"]
    assert graph(store)["contacts"] == 0  # nothing written while a row has a problem
    report = run(store, files, skip_invalid=True)
    assert report.counts["roles"].roles == 4 and graph(store)["imported_roles"] == 4
    held = {cid: [(r["role"], r["source"]) for r in store.contact(cid)["roles"]] for cid in ("13", "14", "15", "16", "18")}
    assert held == {"13": [("decision_maker", "import")], "14": [("economic_buyer", "import")],
                    "15": [("technical_evaluator", "import")], "16": [], "18": [("end_user", "import")]}
    assert [n["line"] for n in report.notes if n["kind"] == "roles"] == [5]  # "Other" says nothing
    assert len(events(store)) == 4  # one roles_changed event per contact whose roles changed
    again = run(store, files, skip_invalid=True)
    assert again.counts["roles"].roles == 0 and len(events(store)) == 4
    preview = run(store, files, skip_invalid=True, dry_run=True)
    assert preview.counts["roles"].roles == 5 and len(events(store)) == 4  # counted, not looked up: nothing written


def test_a_role_sales_confirmed_keeps_its_source(store, tmp_path):
    from graphsvc.ingest.repository import IngestRepository

    run(store, [SF / "Account.csv", SF / "Contact.csv"])
    IngestRepository(store).change_roles([], [{"contact_id": "13", "account_id": "5", "group_id": "5:default",
                                               "group_name": "default", "role": "decision_maker", "source": "sales",
                                               "confidence": 1.0}], NOW, actor="sam")
    run(store, [_contact_roles(tmp_path)], skip_invalid=True)
    assert [(r["role"], r["source"]) for r in store.contact("13")["roles"]] == [("decision_maker", "sales")]


# -- owners, lifecycle, deals ---------------------------------------------------------------------
def test_owners_resolve_through_a_users_export(store, tmp_path):
    accounts = rows_of(SF / "Account.csv")
    h = {name: i for i, name in enumerate(accounts[0])}
    if "OwnerId" not in h:
        accounts[0].append("OwnerId")
        h["OwnerId"] = len(accounts[0]) - 1
        for r in accounts[1:]:
            r.append("")
    owners = ["0056g000004AbCdEAA", "0056g000004XyZw", "0056g000009Nope"]  # 18-char, 15-char, unknown
    for i, r in enumerate(accounts[1:4]):
        r[h["OwnerId"]] = owners[i]
    users = write_csv(tmp_path / "User.csv", [
        ["Id", "Username", "FirstName", "LastName", "Email"],
        ["0056g000004AbCd", "sam@acme.example", "Sam", "Seller", "sam@acme.example"],  # 15-char form
        ["0056g000004XyZwAAA", "kim@acme.example", "Kim", "Closer", "kim@acme.example"],
    ])
    report = run(store, [users, write_csv(tmp_path / "Account.csv", accounts)])
    assert report.problem_count == 0 and report.counts["users"].read == 2
    ids = [r[h["Id"] if "Id" in h else 0] for r in accounts[1:4]]
    got = [(store.account(i)["account"].get("owner"), store.account(i)["account"].get("owner_name")) for i in ids]
    assert got == [("sam@acme.example", "Sam Seller"), ("kim@acme.example", "Kim Closer"), ("0056g000009Nope", None)]
    assert [n["id"] for n in report.notes if n["kind"] == "accounts" and n["field"] == "owner"] == [ids[2]]
    # HubSpot owners (id, email, firstName, lastName, userId); HubSpot's exports name the owner.
    hs_users = write_csv(tmp_path / "owners.csv", [["id", "email", "firstName", "lastName", "userId"],
                                                   ["301", "sam.seller@example.com", "Sam", "Seller", "9001"]])
    report = run(store, [hs_users, HS_FILES[0]], tz=PORTAL)
    assert store.account("9000000137")["account"]["owner"] == "sam.seller@example.com"


def test_lifecycle_stage_and_lead_status_are_kept(store, tmp_path):
    contacts = rows_of(HS / "hubspot-shaped-contacts-export.csv")
    h = {name: i for i, name in enumerate(contacts[0])}
    contacts[1][h["Lead Status"]] = "IN_PROGRESS"
    companies = rows_of(HS / "hubspot-shaped-companies-export.csv")
    c = {name: i for i, name in enumerate(companies[0])}
    companies[0].append("Became a Customer Date")
    for i, r in enumerate(companies[1:]):
        r.append(f"2024-05-0{i % 9 + 1} 10:00" if r[c["Lifecycle Stage"]] == "Customer" else "")
    companies[2][c["Lifecycle Stage"]] = "Opportunity"
    report = run(store, [write_csv(tmp_path / "a.csv", companies), write_csv(tmp_path / "c.csv", contacts)], tz=PORTAL)
    assert report.problem_count == 0
    rose = store.contact("51000")["contact"]
    assert (rose["lifecycle_stage"], rose["lead_status"]) == ("Subscriber", "IN_PROGRESS")
    assert store.contact("51101")["contact"]["lifecycle_stage"] == "Sales Qualified Lead"
    # Companies in lifecycle stage Customer are customers: won, dated by Became a Customer Date.
    assert graph(store)["won_accounts"] == 10 and report.counts["opportunities"].accounts_won == 10
    genepoint = store.read("qualification/history", id="9000000137")
    assert [(x["to"], x["actor"]) for x in genepoint] == [("won", "import")]
    assert genepoint[0]["at"] == datetime(2024, 5, 1, 10, 0, tzinfo=PORTAL).timestamp()
    assert "lifecycle stage Customer" in genepoint[0]["reason"]
    assert store.account(companies[2][c["Record ID"]])["account"]["stage"] != "won"


def test_hubspot_deals_are_opportunities(store, tmp_path):
    deals = write_csv(tmp_path / "deals.csv", [
        ["Record ID", "Deal Name", "Deal Stage", "Amount", "Close Date", "Associated Company (ID)", "Pipeline",
         "Associated Contact IDs"],
        ["8001", "UOG generators", "closedwon", "120000", "2025-06-30 12:00", "9000001507", "default", "52212;52717"],
        ["8002", "UOG service", "closedwon", "30000", "2025-03-31 12:00", "9000001507", "default", ""],
        ["8003", "Edge upgrade", "closedlost", "50000", "2025-04-30 12:00", "9000000548", "default", ""],
        ["8004", "Pyramid pilot", "appointmentscheduled", "10000", "2026-12-20 12:00", "9000001234", "default", ""],
    ])
    companies = rows_of(HS / "hubspot-shaped-companies-export.csv")
    c = {name: i for i, name in enumerate(companies[0])}
    for r in companies[1:]:
        r[c["Lifecycle Stage"]] = "Lead"  # not customers here: only the deals say who won
    files = [write_csv(tmp_path / "a.csv", companies), HS_FILES[1], deals]
    report = run(store, files, tz=PORTAL, skip_invalid=True)
    assert [(p["line"], p["column"]) for p in report.problems] == [(5, "Associated Company (ID)")]  # unknown company
    d = report.counts["opportunities"]
    assert (d.read, d.created, d.won, d.accounts_won) == (4, 3, 2, 1)
    assert graph(store)["opportunities"] == 3
    history = store.read("qualification/history", id="9000001507")
    assert [(x["to"], x["actor"]) for x in history] == [("won", "import")]
    assert history[0]["at"] == datetime(2025, 3, 31, 12, 0, tzinfo=PORTAL).timestamp()  # the first won deal
    assert any(n["field"] == "contact_id" and n["line"] == 2 for n in report.notes)  # two contacts: the first


@pytest.mark.parametrize("header", [["Id", "ContactId", "OpportunityId", "Role", "IsPrimary"],
                                    ["ID", "CONTACTID", "OPPORTUNITYID", "ROLE", "ISPRIMARY"]])
def test_contact_roles_are_recognised_in_any_case(header):
    from graphsvc.imports.recognise import recognise

    found = recognise(header, "export.csv")
    assert [p.kind for p in found.parts] == ["roles"] and found.source == "salesforce"
    assert recognise(["Id", "Username", "Name", "Email"], "x.csv").parts[0].kind == "users"
    assert recognise(["Record ID", "Deal Name", "Deal Stage"], "x.csv").parts[0].kind == "opportunities"
    assert recognise(["Record ID", "Call outcome", "Activity date", "Associated Contact IDs"], "x.csv").parts[0].reader \
        == "engagements"


def test_empty_is_still_empty():
    assert EMPTY["won_accounts"] == 0


def test_the_cli_imports_users_accounts_and_contact_roles(cli_store, tmp_path):
    from click.testing import CliRunner

    from graphsvc.cli import main

    users = write_csv(tmp_path / "User.csv", [["Id", "Name", "Email", "Username"],
                                              ["0056g000004AbCdEAA", "Sam Seller", "sam@acme.example", "sam"]])
    accounts = rows_of(SF / "Account.csv")
    accounts[0].append("OwnerId")
    for r in accounts[1:]:
        r.append("0056g000004AbCdEAA")
    files = [users, write_csv(tmp_path / "Account.csv", accounts), SF / "Contact.csv", _contact_roles(tmp_path)]
    done = CliRunner().invoke(main, ["import", *map(str, files), "--skip-invalid", "--no-progress"])
    assert done.exit_code == 1, done.output  # two refused role rows
    assert "users: 1 rows, 1 valid" in done.output and "roles: 8 rows, 4 buying roles were set, 2 refused" in done.output
    assert cli_store.account("1")["account"]["owner_name"] == "Sam Seller"
