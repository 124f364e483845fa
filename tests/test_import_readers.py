"""Reading exports (pure: no engine): encodings, BOMs, delimiters, line numbers, XLSX; recognising
HubSpot (five languages), Salesforce (API names any case, reports) and mapping files; cell rules."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook

from graphsvc.imports import convert, readers
from graphsvc.imports.mapping import MappingError, load_mapping
from graphsvc.imports.recognise import NotRecognised, recognise

ROOT = Path(__file__).resolve().parents[1]
# The real export files live next to the project (../shared/data), never in it; from a worktree
# (wt/<name>) one level further up.
DATA = next((d for d in (ROOT.parent / "shared" / "data", ROOT.parent.parent / "shared" / "data") if d.exists()),
            ROOT.parent / "shared" / "data")
HUBSPOT_CONTACTS = DATA / "hubspot" / "hubspot-shaped-contacts-export.csv"


def write_csv(path: Path, rows: list[list[str]], *, delimiter: str = ",", encoding: str = "utf-8") -> Path:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def rows_of(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_any_encoding_and_delimiter_reads_the_same_rows(tmp_path, encoding, delimiter):
    rows = rows_of(HUBSPOT_CONTACTS)
    rows[1][1] = "Rosé Müller-Ørsted"[:11] if encoding == "cp1252" else "Rosé Müller-Ørsted"  # Ø is not cp1252
    path = write_csv(tmp_path / "contacts.csv", rows, delimiter=delimiter, encoding=encoding)
    table = readers.open_table(path)
    assert table.delimiter == delimiter
    assert table.header == rows[0]
    got = list(table.rows())
    assert [cells for _, cells in got] == rows[1:]
    assert [line for line, _ in got] == list(range(2, len(rows) + 1))


def test_bom_header_and_ragged_rows_of_a_salesforce_report():
    table = readers.open_table(DATA / "salesforce" / "lwc-recipes-Accounts-Contacts.csv")
    assert table.encoding == "utf-8-sig"
    assert table.header[0] == "Account: Account Name"  # no BOM left in the first header
    widths = {len(cells) for _, cells in table.rows()}
    assert widths == {3, 9}  # accounts without contacts have 3 fields


def test_line_numbers_count_cells_that_span_lines():
    # Contact.csv's addresses span lines: the row of b.levy starts on line 31 of the file.
    rows = {cells[0]: line for line, cells in readers.open_table(DATA / "salesforce" / "devorg-sample-cumulusci"
                                                                  / "Contact.csv").rows()}
    text = (DATA / "salesforce" / "devorg-sample-cumulusci" / "Contact.csv").read_text().splitlines()
    assert text[rows["20"] - 1].startswith("20,")
    assert text[rows["21"] - 1].startswith("21,")
    assert rows["20"] == 31


def test_blank_lines_are_skipped_and_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("Id,Name,Website\n\n1,Acme,acme.com\n,,\n2,Beta,beta.com\n")
    assert [(n, c[0]) for n, c in readers.open_table(path).rows()] == [(3, "1"), (5, "2")]
    (tmp_path / "empty.csv").write_text("\n\n")
    with pytest.raises(readers.UnreadableFile, match="empty"):
        readers.open_table(tmp_path / "empty.csv")


def test_a_binary_file_is_refused_with_a_reason(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(bytes(range(256)) * 50)
    with pytest.raises(readers.UnreadableFile):
        table = readers.open_table(path)
        list(table.rows())


def test_xlsx_written_by_openpyxl_reads_like_the_csv(tmp_path):
    rows = rows_of(HUBSPOT_CONTACTS)
    book = Workbook()
    sheet = book.active
    sheet.append(rows[0])
    for r in rows[1:]:
        # Numbers as numbers and a date as a date, as a person's spreadsheet would hold them.
        sheet.append([int(c) if c.isdigit() else c for c in r])
    sheet["K2"] = datetime(2025, 3, 1, 10, 0)
    book.save(tmp_path / "contacts.xlsx")
    table = readers.open_table(tmp_path / "contacts.xlsx")
    assert table.format == "xlsx"
    assert table.header == rows[0]
    got = list(table.rows())
    assert [line for line, _ in got] == list(range(2, len(rows) + 1))
    assert got[0][1][0] == "51000" and got[0][1][10] == "2025-03-01T10:00:00"
    assert [c[:10] for _, c in got[1:]] == [r[:10] for r in rows[2:]]


# -- recognising ------------------------------------------------------------------------------------
# HubSpot exports in the portal's language: the contacts file's labels, translated.
LANGUAGES = {
    "de": {"Record ID": "Datensatz-ID", "First Name": "Vorname", "Last Name": "Nachname", "Email": "E-Mail",
           "Job Title": "Jobtitel", "Buying Role": "Einkaufsrolle", "Associated Company IDs":
           "Zugeordnete Unternehmens-IDs", "Company name": "Name des Unternehmens", "Company Domain Name":
           "Domain-Name des Unternehmens", "Number of Employees": "Anzahl der Mitarbeiter", "Industry": "Branche",
           "Country/Region": "Land/Region", "Company owner": "Unternehmensinhaber"},
    "fr": {"Record ID": "ID de fiche", "First Name": "Prénom", "Last Name": "Nom", "Email": "E-mail",
           "Job Title": "Intitulé du poste", "Buying Role": "Rôle d'achat", "Associated Company IDs":
           "ID des entreprises associées", "Company name": "Nom de l'entreprise", "Company Domain Name":
           "Nom de domaine de l'entreprise", "Number of Employees": "Nombre d'employés",
           "Industry": "Secteur d'activité", "Country/Region": "Pays/Région",
           "Company owner": "Propriétaire de l'entreprise"},
    "es": {"Record ID": "ID de registro", "First Name": "Nombre", "Last Name": "Apellidos", "Email": "Correo",
           "Job Title": "Cargo", "Buying Role": "Rol de compra", "Associated Company IDs": "ID de empresas asociadas",
           "Company name": "Nombre de la empresa", "Company Domain Name": "Nombre de dominio de la empresa",
           "Number of Employees": "Número de empleados", "Industry": "Sector", "Country/Region": "País/región",
           "Company owner": "Propietario de la empresa"},
    "nl": {"Record ID": "Record-ID", "First Name": "Voornaam", "Last Name": "Achternaam", "Email": "E-mail",
           "Job Title": "Functie", "Buying Role": "Inkooprol", "Associated Company IDs": "Gekoppelde bedrijfs-ID's",
           "Company name": "Bedrijfsnaam", "Company Domain Name": "Domeinnaam bedrijf",
           "Number of Employees": "Aantal werknemers", "Industry": "Branche", "Country/Region": "Land/regio",
           "Company owner": "Bedrijfseigenaar"},
}


@pytest.mark.parametrize("language", ["en", *LANGUAGES])
@pytest.mark.parametrize("kind", ["contacts", "companies"])
def test_hubspot_exports_are_recognised_in_five_languages(language, kind):
    header = rows_of(DATA / "hubspot" / f"hubspot-shaped-{kind}-export.csv")[0]
    english = recognise(header, "export.csv")
    local = [LANGUAGES.get(language, {}).get(h, h) for h in header]
    found = recognise(local, "export.csv")
    assert found.source == english.source == "hubspot"
    assert [p.kind for p in found.parts] == (["contacts", "activities"] if kind == "contacts" else ["accounts"])
    assert found.parts[0].columns == english.parts[0].columns
    expected = {"contacts": {"id", "email", "first_name", "last_name", "title", "account_id", "buying_role",
                             "lifecycle_stage", "lead_status"},
                "companies": {"id", "name", "domain", "industry", "employees", "annual_revenue", "country", "owner",
                              "lifecycle_stage"}}
    assert set(found.parts[0].columns) == expected[kind]


def test_the_real_hubspot_all_properties_header_is_recognised():
    header = next(csv.reader([(DATA / "hubspot" / "contacts-all-properties-export-header-2023-02-21.txt")
                              .read_text(encoding="utf-8").strip()]))
    found = recognise(header, "contacts.csv")
    cols = found.parts[0].columns
    assert found.source == "hubspot" and found.parts[0].kind == "contacts"
    assert header[cols["email"]] == "Email" and header[cols["account_id"]] == "Associated Company IDs"
    assert header[cols["title"]] == "Job Title" and header[cols["seniority"]] == "Seniority"
    assert "höbbela" in found.ignored  # the custom property is listed, not silently dropped


@pytest.mark.parametrize("case", [str.upper, str.lower, lambda s: s])
def test_salesforce_api_names_in_any_case(case):
    header = [case(h) for h in rows_of(DATA / "salesforce" / "devorg-sample-cumulusci" / "Contact.csv")[0]]
    found = recognise(header, "extract.csv")
    assert found.source == "salesforce" and found.parts[0].kind == "contacts"
    assert {"id", "email", "account_id", "reports_to", "title"} <= set(found.parts[0].columns)


def test_a_salesforce_report_holds_accounts_and_contacts_keyed_by_name_and_email():
    header = rows_of(DATA / "salesforce" / "lwc-recipes-Accounts-Contacts.csv")[0]
    found = recognise(header, "report.csv")
    assert found.source == "salesforce_report"
    accounts, contacts = found.parts
    assert accounts.columns["id"] == accounts.columns["name"] == 0 and accounts.repeated
    assert contacts.columns["id"] == contacts.columns["email"] and contacts.columns["account_id"] == 0
    assert contacts.optional and contacts.absent(["Edge", "Customer", "555"])


def test_an_unknown_file_is_not_recognised_and_opportunities_are():
    with pytest.raises(NotRecognised, match="--mapping"):
        recognise(["account", "sector", "revenue"], "accounts.csv")
    deals = recognise(rows_of(DATA / "salesforce" / "devorg-sample-cumulusci" / "Opportunity.csv")[0], "x.csv")
    assert deals.parts[0].kind == "opportunities"
    assert {"id", "name", "account_id", "contact_id", "stage", "amount", "close_date"} <= set(deals.parts[0].columns)


def test_a_mapping_file_is_checked_whole(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[file]]\nkind = "accounts"\n[file.columns]\nname = "account"\nrevnue = "revenue"\n')
    with pytest.raises(MappingError) as exc:
        load_mapping(bad)
    assert "revnue" in str(exc.value) and "columns.id is required" not in str(exc.value)
    missing = tmp_path / "m.toml"
    missing.write_text('[[file]]\nkind = "accounts"\n[file.columns]\nid = "account"\nname = "company"\n')
    with pytest.raises(MappingError, match="name = 'company'"):
        load_mapping(missing).for_file("accounts.csv", ["account", "sector"])


# -- cell rules -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("raw", "value"), [("24000", 24000), ("24,000", 24000), ("24.000", 24000),
                                            ("24 000", 24000), ("265.0", 265), ("1e3", 1000)])
def test_whole_numbers(raw, value):
    assert convert.parse_integer(raw) == value


@pytest.mark.parametrize("raw", ["12.5", "lots", "1,2,3"])
def test_not_whole_numbers(raw):
    with pytest.raises(ValueError, match="whole number"):
        convert.parse_integer(raw)


@pytest.mark.parametrize(("raw", "value"), [("4000000000", 4e9), ("1,234.5", 1234.5), ("1.234,5", 1234.5),
                                            ("1234,5", 1234.5), ("115000.0", 115000.0)])
def test_numbers(raw, value):
    assert convert.parse_number(raw) == value


def test_times_take_their_zone_or_tz_or_fail_naming_the_option():
    assert convert.parse_time("2019-11-09T02:05:10.000Z", None) == datetime(2019, 11, 9, 2, 5, 10, tzinfo=UTC)
    berlin = convert.parse_time("2025-03-01 10:00", ZoneInfo("Europe/Berlin"))
    assert berlin.astimezone(UTC) == datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
    assert convert.parse_time("2021-10-21", ZoneInfo("UTC")) == datetime(2021, 10, 21, tzinfo=UTC)
    with pytest.raises(ValueError, match="--tz"):
        convert.parse_time("2025-03-01 10:00", None)
    with pytest.raises(ValueError, match="ISO-8601"):
        convert.parse_time("01/03/2025", None)
