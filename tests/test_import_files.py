"""Importing the real export files of ../shared/data (and variants made from them) on both engines:
the counts they must leave in the graph, the row report of their bad rows, dry runs, re-imports."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook

from graphsvc.imports.job import Importer, ImportOptions
from graphsvc.imports.mapping import load_mapping
from graphsvc.ingest.repository import IngestRepository
from graphsvc.rules import default_ruleset

ROOT = Path(__file__).resolve().parents[1]
DATA = next((d for d in (ROOT.parent / "shared" / "data", ROOT.parent.parent / "shared" / "data") if d.exists()),
            ROOT.parent / "shared" / "data")
SF = DATA / "salesforce" / "devorg-sample-cumulusci"
HS = DATA / "hubspot"
NOW = datetime(2026, 12, 1, tzinfo=UTC).timestamp()  # after the last (synthetic) date in the files
PORTAL = ZoneInfo("Europe/Stockholm")  # the HubSpot files' portal-local times
EMPTY = {"accounts": 0, "contacts": 0, "leads": 0, "works_at": 0, "hierarchy_links": 0, "reports_to": 0,
         "imported_roles": 0, "matched_leads": 0, "opportunities": 0, "won_accounts": 0}


def run(store, files, ruleset=None, **options):
    return Importer(store, ruleset or default_ruleset(), NOW, ImportOptions(**options)).run(
        [(Path(f), Path(f).name) for f in files])


def graph(store) -> dict[str, int]:
    return {k: int(v) for k, v in store.read_one("imports/graph_counts").items()}


def rows_of(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8") -> Path:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter).writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def test_salesforce_extract_accounts_contacts_leads(store):
    report = run(store, [SF / "Account.csv", SF / "Contact.csv", SF / "Lead.csv"])
    assert report.problem_count == 0 and report.written
    assert graph(store) == {**EMPTY, "accounts": 11, "contacts": 18, "leads": 22, "works_at": 18,
                            "matched_leads": 2}
    c = report.counts
    assert (c["accounts"].created, c["contacts"].created, c["contacts"].unmatched) == (11, 18, 0)
    assert (c["leads"].matched, c["leads"].read) == (2, 22)  # pat@pyramid.net, a_young@dickenson.com
    # Emails Salesforce accepts are accepted: b.levy@expressl&t.net works at Express Logistics.
    assert store.contact("20")["account_id"] == "9"
    assert store.account("2")["account"]["domain"] == "uos.com"  # http://www.uos.com
    # No CreatedDate in the lead extract: the import says the import time was used.
    assert any(n["field"] == "created_at" and n["line"] is None for n in report.notes)
    assert report.requalified == 11
    # Three United Oil & Gas accounts share uos.com: the import says which one matching picks, and why.
    shared = [n for n in report.notes if n.get("domain") == "uos.com"]
    assert [(n["accounts"], n["chosen"]) for n in shared] == [(["11", "2", "3"], "11")]
    assert "first id in text order" in shared[0]["message"]
    assert IngestRepository(store).accounts_by_domains(["uos.com"]) == {"uos.com": "11"}  # what matching really does


def test_opportunities_and_won_deals_set_the_account_stage_with_the_crm_date(store):
    files = [SF / "Account.csv", SF / "Contact.csv", SF / "Opportunity.csv"]
    report = run(store, files)
    assert report.problem_count == 0
    deals = report.counts["opportunities"]
    assert (deals.read, deals.created, deals.won, deals.accounts_won) == (31, 31, 18, 7)
    counts = graph(store)
    assert (counts["opportunities"], counts["won_accounts"]) == (31, 7)
    # United Oil & Gas Corp. became a customer with its first won deal: 2021-11-16 (opportunity 15).
    history = store.read("qualification/history", id="11")
    assert [(h["to"], h["actor"]) for h in history] == [("won", "import")]
    assert history[0]["at"] == datetime(2021, 11, 16, tzinfo=UTC).timestamp()
    assert "15 (United Oil Emergency Generators)" in history[0]["reason"]
    board = {r["id"]: r["stage"] for r in store.read("qualification/board", limit=50)}
    assert sorted(a for a, stage in board.items() if stage == "won") == ["1", "10", "11", "4", "5", "8", "9"]
    again = run(store, files)  # nothing new: no second StageChange, no new opportunity
    assert again.counts["opportunities"].accounts_won == 0 and again.counts["opportunities"].created == 0
    assert len(store.read("qualification/history", id="11")) == 1


def test_opt_outs_and_bounces_become_the_contact_status(store, tmp_path):
    rows = rows_of(SF / "Contact.csv")
    h = {name: i for i, name in enumerate(rows[0])}
    rows[1][h["HasOptedOutOfEmail"]] = "True"  # Rose opted out
    rows[2][h["EmailBouncedDate"]] = "2025-06-01T08:00:00.000Z"  # Sean's address bounced
    rows[3][h["HasOptedOutOfEmail"]] = "True"
    rows[3][h["EmailBouncedDate"]] = "2025-06-01T08:00:00.000Z"  # both: the bounce says more
    report = run(store, [SF / "Account.csv", write_csv(tmp_path / "Contact.csv", rows)])
    assert report.problem_count == 0
    status = {cid: store.contact(cid)["contact"]["status"] for cid in ("11", "12", "13", "14")}
    assert status == {"11": "opted_out", "12": "bounced", "13": "bounced", "14": "active"}
    rows[1][h["HasOptedOutOfEmail"]] = "False"  # opted back in: the CRM's word is taken again
    run(store, [write_csv(tmp_path / "Contact.csv", rows)])
    assert store.contact("11")["contact"]["status"] == "active"


def test_additional_domains_match_emails_that_differ_from_the_website(store, tmp_path):
    """Salesforce's leads write from pyramid.net and btca.com while the accounts' websites are pyramid.com
    and burlington.com; United Oil's people write from uog.com, its website is uos.com."""
    rows = rows_of(HS / "hubspot-shaped-companies-export.csv")
    rows[0].append("Additional Domains")
    extra = {"9000000822": "pyramid.net", "9000000685": "btca.com; www.burlington-textiles.com",
             "9000001507": "uog.com"}
    for r in rows[1:]:
        r.append(extra.get(r[0], ""))
    companies = write_csv(tmp_path / "companies.csv", rows)
    before = run(store, [HS / "hubspot-shaped-companies-export.csv", SF / "Lead.csv"])
    assert before.counts["leads"].matched == 0
    report = run(store, [companies, SF / "Lead.csv"])
    assert report.problem_count == 0
    assert store.account("9000000685")["account"]["domains"] == ["btca.com", "burlington-textiles.com"]
    matched = {r["id"]: r for r in store.read("read/accounts_by_domains", domains=["pyramid.net"])}
    assert matched == {}  # the main-domain lookup alone does not know them ...
    assert IngestRepository(store).accounts_by_domains(["pyramid.net", "btca.com", "uog.com", "uos.com"]) == {
        "pyramid.net": "9000000822", "btca.com": "9000000685", "uog.com": "9000001507", "uos.com": "9000000274"}
    # ... matching does: pat@pyramid.net and jrogers@btca.com now match their accounts.
    assert report.counts["leads"].matched == 2 and graph(store)["matched_leads"] == 2


def test_the_dean_of_a_customer_university_is_not_a_student(store):
    """jane_gray@uoa.edu is given her account (University of Arizona) explicitly: never disqualified."""
    from graphsvc.qualification.service import QualificationService

    run(store, [SF / "Account.csv", SF / "Contact.csv"])
    q, _, _ = QualificationService(store, default_ruleset()).evaluate_at("10", NOW, NOW)
    jane = next(c for c in q.contacts if c.id == "22")
    assert not jane.disqualified and jane.disqualified_reason is None


def test_reimporting_changes_nothing(store):
    files = [SF / "Account.csv", SF / "Contact.csv", SF / "Lead.csv", HS / "hubspot-shaped-companies-export.csv"]
    run(store, files)
    before = graph(store)
    again = run(store, files)
    assert graph(store) == before
    assert again.counts["accounts"].created == again.counts["contacts"].created == 0
    assert again.counts["accounts"].updated == 22 and again.counts["contacts"].updated == 18
    assert again.stage_changes == 0


def test_hubspot_companies_and_contacts_with_buying_roles(store):
    files = [HS / "hubspot-shaped-contacts-export.csv", HS / "hubspot-shaped-companies-export.csv"]
    report = run(store, files, tz=PORTAL)
    assert report.problem_count == 0
    assert graph(store) == {**EMPTY, "accounts": 11, "contacts": 18, "works_at": 18, "imported_roles": 5,
                            "won_accounts": 11}
    assert report.counts["contacts"].roles == 5
    # The dated engagement columns are one activity each (aggregates.py): 59 in these 18 rows.
    assert report.counts["activities"].created == 59 and store.counts()["activities"] == 59
    again = run(store, files, tz=PORTAL)
    assert (again.counts["activities"].created, again.counts["activities"].updated) == (0, 59)
    held = sorted((cid, r["role"], r["source"], r["buying_group"]) for cid in ("52212", "52717", "51101")
                  for r in store.contact(cid)["roles"])
    assert held == [("51101", "economic_buyer", "import", "9000000548:default"),  # "Budget Holder"
                    ("52212", "decision_maker", "import", "9000001507:default"),
                    ("52717", "economic_buyer", "import", "9000001507:default")]


def test_qualified_as_soon_as_imported(store):
    """Fit, missing roles and stage on the board right after the import, as readiness computes them."""
    from graphsvc.qualification.service import QualificationService

    run(store, [HS / "hubspot-shaped-companies-export.csv", HS / "hubspot-shaped-contacts-export.csv"], tz=PORTAL)
    board = {r["id"]: r for r in store.read("qualification/board", limit=50)}
    assert len(board) == 11
    readiness = QualificationService(store, default_ruleset())
    for account_id, row in board.items():
        q, _, _ = readiness.evaluate_at(account_id, NOW, NOW)
        assert (row["fit"], row["missing_roles"], row["stage"]) == (q.scores.fit, list(q.buying_center.missing),
                                                                    q.stage)
    assert all(r["fit"] is not None for r in board.values())
    assert "technical_evaluator" in board["9000001507"]["missing_roles"]


def test_salesforce_report_keys_accounts_by_name_and_contacts_by_email(store):
    report = run(store, [DATA / "salesforce" / "lwc-recipes-Accounts-Contacts.csv"])
    assert report.problem_count == 0
    assert graph(store) == {**EMPTY, "accounts": 10, "contacts": 6, "works_at": 6}
    assert store.contact("amy@demo.net")["account_id"] == "Alpha Dynamics"
    assert report.counts["accounts"].read == 10  # each account once, not once per contact row


def test_data_loader_accounts_with_every_website_shape(store):
    report = run(store, [DATA / "salesforce" / "einstein-demo-accounts-dataloader.csv"])
    assert report.problem_count == 0 and graph(store)["accounts"] == 47
    ohana = store.account("0016g000003PipHAAS")["account"]  # the Data Loader's "@" is not part of the id
    assert ohana["name"] == "Ohana Inc" and ohana["employees"] == 6655 and "domain" not in ohana
    domains = {r["id"]: r["domain"] for r in store.read("read/accounts_by_domains", domains=[
        "stevenscapital.com", "salesforce.com", "lufthansagroup.com", "albertinc.com"])}
    assert sorted(domains.values()) == ["albertinc.com", "lufthansagroup.com", "salesforce.com", "stevenscapital.com"]


MAPPING = """
[[file]]
match = "accounts.csv"
kind = "accounts"
[file.columns]
id = "account"
name = "account"
industry = "sector"
employees = "employees"
country = "office_location"
parent_id = "subsidiary_of"
annual_revenue = "revenue"
[file.scale]
annual_revenue = 1_000_000
"""


def test_a_mapping_file_imports_the_crm_teaching_set_with_parents_in_any_order(store, tmp_path):
    (tmp_path / "crm.toml").write_text(MAPPING)
    mapping = load_mapping(tmp_path / "crm.toml")
    rows = rows_of(DATA / "crm-sales-opportunities" / "accounts.csv")
    reversed_file = write_csv(tmp_path / "accounts.csv", [rows[0], *reversed(rows[1:])])  # children first
    for path in (DATA / "crm-sales-opportunities" / "accounts.csv", reversed_file):
        report = run(store, [path], mapping=mapping, source="csv")
        assert report.problem_count == 0
        assert graph(store) == {**EMPTY, "accounts": 85, "hierarchy_links": 15}
        assert report.counts["accounts"].hierarchy_links == 15
    acme = store.account("Acme Corporation")["account"]
    assert acme["annual_revenue"] == pytest.approx(1100.04e6) and acme["industry"] == "technolgy"


def test_files_that_are_not_crm_exports_are_reported_not_guessed(store):
    files = [DATA / "xeducation" / "Leads.csv", DATA / "olist" / "olist_marketing_qualified_leads_dataset.csv",
             DATA / "crm-sales-opportunities" / "sales_pipeline.csv"]
    report = run(store, files)
    assert [f.error is not None for f in report.files] == [True, True, True]
    assert "--mapping" in report.files[2].error  # no ids, a deal_stage: the teaching set needs a mapping
    assert report.problem_count == 3 and not report.written and graph(store) == EMPTY


def test_every_problem_in_one_pass_and_nothing_written(store, tmp_path):
    rows = rows_of(SF / "Contact.csv")
    h = {name: i for i, name in enumerate(rows[0])}
    rows[1][h["Email"]] = "rose-at-edge.com"  # line 2... but rows span lines: the report says where
    rows[2][h["AccountId"]] = "999"  # no such account
    rows[3][h["Email"]] = ""  # empty = absent: email is required
    rows[3][h["ReportsToId"]] = "77"  # and an unknown manager, reported in the same pass
    contacts = write_csv(tmp_path / "Contact.csv", rows)
    report = run(store, [SF / "Account.csv", contacts])
    assert not report.written and graph(store) == EMPTY
    got = sorted((p["id"], p["column"], p["message"].split(":")[0]) for p in report.problems)
    assert got == [("11", "Email", "Value error, value is not a valid email address"),
                   ("12", "AccountId", "unknown account '999'"),
                   ("13", "Email", "Field required"),
                   ("13", "ReportsToId", "unknown contact '77'")]
    lines = {p["id"]: p["line"] for p in report.problems}
    text = contacts.read_text().splitlines()
    assert all(text[lines[i] - 1].startswith(f"{i},") for i in ("11", "12", "13"))
    assert report.counts["contacts"].refused == 3 and report.counts["contacts"].valid == 15


def test_skip_invalid_writes_the_good_rows_and_the_rejected_file_can_be_fixed_and_reimported(store, tmp_path):
    rows = rows_of(SF / "Contact.csv")
    h = {name: i for i, name in enumerate(rows[0])}
    rows[1][h["Email"]] = "rose-at-edge.com"
    contacts = write_csv(tmp_path / "Contact.csv", rows)
    report = run(store, [SF / "Account.csv", contacts], skip_invalid=True, rejected_dir=tmp_path / "rejected")
    assert report.written and graph(store)["contacts"] == 17
    rejected = rows_of(tmp_path / "rejected" / "Contact.rejected.csv")
    assert rejected[0] == [*rows[0], "import_problems"] and len(rejected) == 2
    assert rejected[1][h["id"]] == "11" and "Email" in rejected[1][-1]
    rejected[1][h["Email"]] = "rose@edge.com"  # the person fixes the cell and imports the file again
    fixed = write_csv(tmp_path / "Contact-fixed.csv", rejected)
    again = run(store, [fixed])
    assert again.problem_count == 0 and "import_problems" in again.files[0].ignored_columns
    assert graph(store)["contacts"] == 18 and store.contact("11")["account_id"] == "4"


def test_dry_run_counts_what_would_happen_and_writes_nothing(store):
    run(store, [SF / "Account.csv"])
    report = run(store, [SF / "Account.csv", SF / "Contact.csv", SF / "Lead.csv",
                         HS / "hubspot-shaped-companies-export.csv"], dry_run=True)
    assert graph(store) == {**EMPTY, "accounts": 11}
    c = report.counts
    assert (c["accounts"].created, c["accounts"].updated) == (11, 11)
    assert (c["contacts"].created, c["contacts"].unmatched) == (18, 0)
    assert c["leads"].matched == 2 and not report.written


def test_the_same_person_in_two_sources_is_merged_not_refused(store):
    """HubSpot and Salesforce both hold Rose Gonzalez (rose@edge.com) under their own ids."""
    run(store, [SF / "Account.csv", SF / "Contact.csv"])
    report = run(store, [HS / "hubspot-shaped-companies-export.csv", HS / "hubspot-shaped-contacts-export.csv"],
                 tz=PORTAL)
    assert report.problem_count == 0
    assert report.counts["contacts"].merged == 18 and graph(store)["contacts"] == 18
    rose = store.contact("11")
    assert rose["account_id"] == "9000000548"  # the later source's employer, on the one contact
    assert store.contact("51000") is None
    assert store.counts()["activities"] == 59  # HubSpot's engagement went to the merged contacts


def test_hubspot_engagement_times_need_tz_and_become_activities_by_the_documented_rule(store):
    files = [HS / "hubspot-shaped-companies-export.csv", HS / "hubspot-shaped-contacts-export.csv"]
    report = run(store, files)
    assert not report.written and report.counts["activities"].refused == 18
    assert all("--tz" in p["message"] for p in report.problems)
    run(store, files, tz=PORTAL)
    rose = store.read("qualification/snapshots_history", ids=["9000000548"], as_of=NOW, half_life_s=2592000.0)
    stats = {c["contact"]["id"]: sorted(zip(c["stats"][0], c["stats"][1])) for c in rose[0]["contacts"]}
    # Rose: the recent conversion ("Whitepaper: ..."), the first one (no name column in this file: a
    # form), first and last email open; Sean: last seen.
    assert stats["51000"] == [("content_download", 1), ("email_open", 2), ("form_submitted", 1)]
    assert stats["51101"] == [("page_view", 1)]


def test_times_without_a_zone_need_tz(store, tmp_path):
    rows = rows_of(SF / "Lead.csv")
    rows[0].append("CreatedDate")
    for r in rows[1:]:
        r.append("2025-03-01 10:00")
    leads = write_csv(tmp_path / "Lead.csv", rows)
    report = run(store, [leads])
    assert report.problem_count == 22 and "--tz" in report.problems[0]["message"]
    assert report.problems[0]["column"] == "CreatedDate"
    report = run(store, [leads], tz=ZoneInfo("Europe/Berlin"))
    assert report.problem_count == 0
    created = store.read("read/counts")[0]["leads"]
    assert created == 22


@pytest.mark.parametrize("variant", ["semicolon-cp1252", "tab-utf16", "xlsx", "german"])
def test_variants_of_the_hubspot_export_import_the_same(store, tmp_path, variant):
    contacts, companies = rows_of(HS / "hubspot-shaped-contacts-export.csv"), rows_of(
        HS / "hubspot-shaped-companies-export.csv")
    contacts[1][1] = "Rosé"
    if variant == "semicolon-cp1252":
        files = [write_csv(tmp_path / "c.csv", contacts, ";", "cp1252"), write_csv(tmp_path / "a.csv", companies, ";",
                                                                                  "cp1252")]
    elif variant == "tab-utf16":
        files = [write_csv(tmp_path / "c.csv", contacts, "\t", "utf-16"), write_csv(tmp_path / "a.csv", companies,
                                                                                   "\t", "utf-16")]
    elif variant == "xlsx":
        files = []
        for name, rows in (("c.xlsx", contacts), ("a.xlsx", companies)):
            book = Workbook()
            for r in rows:
                book.active.append([int(x) if x.isdigit() else x for x in r])
            book.save(tmp_path / name)
            files.append(tmp_path / name)
    else:
        de = {"Record ID": "Datensatz-ID", "First Name": "Vorname", "Last Name": "Nachname", "Email": "E-Mail",
              "Job Title": "Jobtitel", "Buying Role": "Einkaufsrolle",
              "Associated Company IDs": "Zugeordnete Unternehmens-IDs", "Company name": "Name des Unternehmens",
              "Company Domain Name": "Domain-Name des Unternehmens", "Number of Employees": "Anzahl der Mitarbeiter"}
        contacts[0] = [de.get(x, x) for x in contacts[0]]
        companies[0] = [de.get(x, x) for x in companies[0]]
        files = [write_csv(tmp_path / "c.csv", contacts), write_csv(tmp_path / "a.csv", companies)]
    report = run(store, files, tz=PORTAL)
    assert report.problem_count == 0, report.problems
    assert graph(store) == {**EMPTY, "accounts": 11, "contacts": 18, "works_at": 18, "imported_roles": 5,
                            "won_accounts": 11}
    assert store.contact("51000")["contact"]["first_name"] == "Rosé"
    assert store.account("9000001507")["account"]["employees"] == 145000


def test_the_cli_imports_with_a_json_report_and_exit_codes(cli_store, tmp_path):
    from click.testing import CliRunner

    from graphsvc.cli import main

    runner = CliRunner()
    ok = runner.invoke(main, ["import", str(SF / "Account.csv"), str(SF / "Contact.csv"), "--format", "json",
                              "--no-progress"])
    assert ok.exit_code == 0, ok.output
    body = json.loads(ok.stdout)
    assert body["counts"]["contacts"]["created"] == 18 and body["written"] is True
    bad = runner.invoke(main, ["import", str(DATA / "crm-sales-opportunities" / "accounts.csv"), "--no-progress"])
    assert bad.exit_code == 1 and "--mapping" in bad.stdout
    usage = runner.invoke(main, ["import", str(SF / "Lead.csv"), "--tz", "Mars/Olympus"])
    assert usage.exit_code == 2 and "IANA" in usage.output
    assert graph(cli_store)["leads"] == 0


def test_a_bad_byte_deep_in_a_file_is_a_file_problem_not_a_crash(store, tmp_path):
    """The encoding is detected on the first 256 KiB; a Latin-1 byte after them ends that file only."""
    lines = ["Id,Name,Website"] + [f"{i},Company {i} with a long enough name,company{i}.example" for i in range(6000)]
    data = ("\n".join(lines) + "\n").encode() + b"6001,Soci\xe9t\xe9,societe.example\n"
    assert len(data) > 256 * 1024
    (tmp_path / "Account.csv").write_bytes(data)
    report = run(store, [tmp_path / "Account.csv"], skip_invalid=True)
    assert "cannot be decoded as utf-8" in report.files[0].error and "save the file as UTF-8" in report.files[0].error
    assert graph(store)["accounts"] == 0  # none of the file's rows, not the first 6,000 of them
