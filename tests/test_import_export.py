"""Exports (board, contacts; CSV, XLSX) and the CRM write-back files, on both engines: the CLI, the
GET route and their errors."""

from __future__ import annotations

import csv
import gc
import io
import re
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from graphsvc.errors import StoreUnavailable
from graphsvc.imports import export
from graphsvc.imports.job import Importer, ImportOptions
from graphsvc.rules import default_ruleset
from graphsvc.store.graph_store import GraphStore

ROOT = Path(__file__).resolve().parents[1]
DATA = next((d for d in (ROOT.parent / "shared" / "data", ROOT.parent.parent / "shared" / "data") if d.exists()),
            ROOT.parent / "shared" / "data")
HS = DATA / "hubspot"
NOW = datetime(2026, 12, 1, tzinfo=UTC).timestamp()


def _imported(store) -> None:
    files = [HS / "hubspot-shaped-companies-export.csv", HS / "hubspot-shaped-contacts-export.csv"]
    options = ImportOptions(tz=ZoneInfo("Europe/Stockholm"))
    report = Importer(store, default_ruleset(), NOW, options).run([(p, p.name) for p in files])
    assert report.written


def _csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_board_and_contacts_as_csv(store):
    _imported(store)
    out = io.BytesIO()
    assert export.write(store, "board", "csv", out) == 11
    board = {r["id"]: r for r in _csv(out.getvalue())}
    uog = board["9000001507"]
    assert uog["name"] == "United Oil & Gas Corp." and uog["stage"] == "won"  # HubSpot lifecycle: Customer
    assert "technical_evaluator" in uog["missing_roles"].split(";") and float(uog["fit"]) >= 0
    assert uog["stage_since"] == datetime.fromtimestamp(NOW, UTC).isoformat()
    out = io.BytesIO()
    assert export.write(store, "contacts", "csv", out) == 18
    contacts = {r["id"]: r for r in _csv(out.getvalue())}
    assert contacts["52212"]["roles"] == "decision_maker" and contacts["52212"]["account_id"] == "9000001507"


def test_write_back_files_with_renamed_fields_and_xlsx(store):
    _imported(store)
    out = io.BytesIO()
    export.write(store, "board", "csv", out, "salesforce", {"stage": "ABM_Stage__c"})
    rows = _csv(out.getvalue())
    assert list(rows[0]) == ["Id", "ABM_Stage__c", "graphsvc_Stage_Date__c", "graphsvc_Qualified_Date__c",
                             "graphsvc_Fit__c", "graphsvc_MQA_Score__c", "graphsvc_Missing_Roles__c"]
    assert {r["graphsvc_Stage_Date__c"] for r in rows} == {"2026-12-01"}  # a CRM date field takes a date
    out = io.BytesIO()
    assert export.write(store, "board", "xlsx", out, "hubspot") == 11
    sheet = load_workbook(io.BytesIO(out.getvalue()), read_only=True).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Record ID" and len(values) == 12
    assert sorted(v[0] for v in values[1:])[0] == "9000000137"


def test_export_errors():
    import pytest

    with pytest.raises(export.ExportError, match="needs `board`"):
        export.columns("contacts", "hubspot")
    with pytest.raises(export.ExportError, match="no field 'stag'"):
        export.columns("board", "salesforce", {"stag": "X"})
    with pytest.raises(export.ExportError, match="cannot be renamed"):
        export.columns("board", "salesforce", {"id": "X"})


def test_get_exports(client, store):
    _imported(store)
    r = client.get("/v1/exports/board", params={"target": "hubspot", "field": "stage:ABM stage"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert 'filename="board-hubspot.csv"' in r.headers["content-disposition"]
    rows = _csv(r.content)
    assert len(rows) == 11 and "ABM stage" in rows[0]
    r = client.get("/v1/exports/contacts", params={"format": "xlsx"})
    assert r.status_code == 200
    assert len(list(load_workbook(io.BytesIO(r.content)).worksheets[0].iter_rows())) == 19
    r = client.get("/v1/exports/contacts", params={"target": "salesforce"})
    assert r.status_code == 422 and r.json()["details"][0]["field"] == "query.target"
    r = client.get("/v1/exports/board", params={"field": "nocolon"})
    assert r.status_code == 422 and r.json()["details"][0]["field"] == "query.field"
    assert client.get("/v1/exports/leads").status_code == 422


def test_cli_export(cli_store, tmp_path):
    from graphsvc.cli import main

    _imported(cli_store)
    runner = CliRunner()
    done = runner.invoke(main, ["export", "board", "--target", "salesforce", "--field", "stage=ABM_Stage__c",
                                "-o", str(tmp_path / "up.csv")])
    assert done.exit_code == 0, done.output
    assert len(_csv((tmp_path / "up.csv").read_bytes())) == 11 and "exported 11 accounts" in done.stderr
    piped = runner.invoke(main, ["export", "contacts"])
    assert piped.exit_code == 0 and len(_csv(piped.stdout_bytes)) == 18
    bad = runner.invoke(main, ["export", "contacts", "--target", "hubspot"])
    assert bad.exit_code == 2 and "needs `board`" in bad.output


def test_readiness_export_has_every_check_of_every_account(store):
    from graphsvc.qualification.service import QualificationService

    _imported(store)
    out = io.BytesIO()
    assert export.write(store, "readiness", "csv", out, ruleset=default_ruleset(), now=NOW) == 11
    rows = {r["id"]: r for r in _csv(out.getvalue())}
    header = list(next(iter(rows.values())))
    assert header[:10] == ["id", "name", "owner", "stored_stage", "stage", "fit", "engagement", "mqa_score", "mqa",
                           "sql"]
    assert header[-4:] == ["missing_roles", "next_action", "next_action_why", "other_checks"]
    q, _, _ = QualificationService(store, default_ruleset()).evaluate_at("9000001507", NOW, NOW)
    row = rows["9000001507"]
    for gate, g in (("mqa", q.mqa), ("sql", q.sql)):
        assert g.checks
        for c in g.checks:  # every check: value, bar, pass
            assert row[f"{gate}.{c.name}.pass"] == str(c.passed)
            assert f"{gate}.{c.name}.bar" in row and f"{gate}.{c.name}" in row
    assert row["missing_roles"].split(";") == list(q.buying_center.missing)
    assert (row["next_action"], row["next_action_why"]) == (q.next_action.action, q.next_action.why)
    assert float(row["fit"]) == q.scores.fit and row["stored_stage"] == "won" and row["other_checks"] == ""
    out = io.BytesIO()
    assert export.write(store, "readiness", "xlsx", out, ruleset=default_ruleset(), now=NOW) == 11
    values = list(load_workbook(io.BytesIO(out.getvalue()), read_only=True).worksheets[0].iter_rows(values_only=True))
    assert list(values[0]) == header and len(values) == 12
    import pytest

    with pytest.raises(export.ExportError, match="no write-back form"):
        export.columns("readiness", "hubspot")


def test_readiness_and_contacts_exports_over_get_and_the_cli(client, store, tmp_path):
    _imported(store)
    r = client.get("/v1/exports/readiness", params={"format": "csv"})
    assert r.status_code == 200 and 'filename="readiness.csv"' in r.headers["content-disposition"]
    rows = _csv(r.content)
    assert len(rows) == 11 and any(k.startswith("sql.") and k.endswith(".bar") for k in rows[0])
    assert client.get("/v1/exports/readiness", params={"target": "salesforce"}).status_code == 422
    contacts = {r["id"]: r for r in _csv(client.get("/v1/exports/contacts").content)}
    assert contacts["51101"]["lifecycle_stage"] == "Sales Qualified Lead"


def test_the_readiness_export_route_and_cli_use_the_worker_processes(client, store, settings, cli_store, tmp_path,
                                                                    monkeypatch):
    """GET /v1/exports/readiness evaluates over GRAPHSVC_REQUALIFY_PROCESSES workers (here 2, with
    pages of 2 accounts) and answers the file one process answers; `graphsvc export --processes 2` too."""
    from graphsvc.cli import main
    from graphsvc.imports import readiness_export
    from graphsvc.qualification import parallel
    from graphsvc.qualification import service as qualification

    _imported(store)
    monkeypatch.setattr(qualification, "PAGE", 2)
    settings.requalify_processes = 1
    alone = client.get("/v1/exports/readiness")
    assert alone.status_code == 200 and len(_csv(alone.content)) == 11
    pooled: list[int] = []

    def spy(service, task, pages, args, processes, **kwargs):
        pooled.append(processes)
        yield from parallel.map_pages(service, task, pages, args, processes, **kwargs)

    monkeypatch.setattr(readiness_export, "map_pages", spy)
    settings.requalify_processes = 2
    shared = client.get("/v1/exports/readiness")
    assert shared.status_code == 200 and pooled == [2]
    assert shared.content == alone.content
    done = CliRunner().invoke(main, ["export", "readiness", "--processes", "2", "-o", str(tmp_path / "r.csv")])
    assert done.exit_code == 0, done.output
    assert pooled == [2, 2] and "exported 11 accounts" in done.stderr
    assert [r["id"] for r in _csv((tmp_path / "r.csv").read_bytes())] == [r["id"] for r in _csv(alone.content)]
    bad = CliRunner().invoke(main, ["export", "readiness", "--processes", "0"])
    assert bad.exit_code == 2 and "--processes" in bad.output


def test_cli_readiness_export(cli_store, tmp_path):
    from graphsvc.cli import main

    _imported(cli_store)
    done = CliRunner().invoke(main, ["export", "readiness", "--format", "xlsx", "-o", str(tmp_path / "r.xlsx")])
    assert done.exit_code == 0, done.output
    assert "exported 11 accounts" in done.stderr
    assert len(list(load_workbook(tmp_path / "r.xlsx", read_only=True).worksheets[0].iter_rows())) == 12


def test_exports_read_a_page_of_ids_at_a_time_in_id_order(store, monkeypatch):
    """The exports read ids a large page at a time, then the rows of each id page a small page at a
    time: with pages of 5 ids and 2 rows (the readiness export: 2 ids, 1 account, as the full pass
    pages) every contact and account comes once, in id order, as one page of each does."""
    from graphsvc.qualification import service as qualification

    _imported(store)
    whole = {what: list(export.rows(store, what)) for what in ("contacts", "board")}
    assert len(whole["contacts"]) == 18 and len(whole["board"]) == 11
    for rows in whole.values():
        assert [r["id"] for r in rows] == sorted(r["id"] for r in rows)
    calm = io.BytesIO()
    export.write(store, "readiness", "csv", calm, ruleset=default_ruleset(), now=NOW)
    monkeypatch.setattr(export, "ID_PAGE", 5)
    monkeypatch.setattr(export, "PAGE", 2)
    monkeypatch.setattr(qualification, "ID_PAGE", 2)
    monkeypatch.setattr(qualification, "PAGE", 1)
    assert {what: list(export.rows(store, what)) for what in whole} == whole
    paged = io.BytesIO()
    assert export.write(store, "readiness", "csv", paged, ruleset=default_ruleset(), now=NOW) == 11
    # The check columns are the first page's (here one account's); the rest go to other_checks.
    assert _readiness_by_account(paged.getvalue()) == _readiness_by_account(calm.getvalue())


def test_the_readiness_export_over_worker_processes_is_the_one_this_process_writes(store, monkeypatch):
    """With pages of 2 accounts (6 pages of 11), the pages after the first go to 2 spawned worker
    processes (the full pass's pool), and the file is byte for byte the one a single process
    writes: the same rows, in id order, under the same header (the first page's checks)."""
    from graphsvc.imports import readiness_export
    from graphsvc.qualification import parallel
    from graphsvc.qualification import service as qualification

    _imported(store)
    monkeypatch.setattr(qualification, "PAGE", 2)
    alone = io.BytesIO()
    assert export.write(store, "readiness", "csv", alone, ruleset=default_ruleset(), now=NOW) == 11
    pooled: list[int] = []

    def spy(service, task, pages, args, processes, **kwargs):
        for page, rows, rss in parallel.map_pages(service, task, pages, args, processes, **kwargs):
            pooled.append(len(page))
            assert rss > 0  # measured in the worker
            yield page, rows, rss

    monkeypatch.setattr(readiness_export, "map_pages", spy)
    shared = io.BytesIO()
    assert export.write(store, "readiness", "csv", shared, ruleset=default_ruleset(), now=NOW, processes=2) == 11
    assert pooled == [2, 2, 2, 2, 1]  # all but the first page went to the workers
    assert shared.getvalue() == alone.getvalue()
    assert [r["id"] for r in _csv(shared.getvalue())] == sorted(r["id"] for r in _csv(alone.getvalue()))
    sheets = []
    for processes in (1, 2):
        xlsx = io.BytesIO()
        assert export.write(store, "readiness", "xlsx", xlsx, ruleset=default_ruleset(), now=NOW,
                            processes=processes) == 11
        sheets.append(list(load_workbook(io.BytesIO(xlsx.getvalue()), read_only=True).worksheets[0]
                           .iter_rows(values_only=True)))
    assert sheets[0] == sheets[1] and len(sheets[0]) == 12


def test_a_readiness_export_of_two_pages_stays_in_this_process(store, monkeypatch):
    """One page after the first: no worker processes (starting them costs ~1 s each); two after the
    first: the pool, for them (11 accounts in pages of 6, then of 5)."""
    from graphsvc.imports import readiness_export
    from graphsvc.qualification import service as qualification

    _imported(store)
    pooled: list[int] = []

    def no_pool(service, task, pages, args, processes, **kwargs):  # counts the pages it is handed, runs none
        pooled.append(len(list(pages)))
        return iter(())

    monkeypatch.setattr(readiness_export, "map_pages", no_pool)
    monkeypatch.setattr(qualification, "PAGE", 6)
    assert export.write(store, "readiness", "csv", io.BytesIO(), ruleset=default_ruleset(), now=NOW, processes=2) == 11
    assert pooled == []
    monkeypatch.setattr(qualification, "PAGE", 5)
    export.write(store, "readiness", "csv", io.BytesIO(), ruleset=default_ruleset(), now=NOW, processes=2)
    assert pooled == [2]  # the two pages after the first went to the pool


def _readiness_by_account(data: bytes) -> dict[str, dict]:
    """Per account id: the readiness export's base columns and every check as (value, bar, passed),
    from its own columns or from `other_checks`."""
    out = {}
    for r in _csv(data):
        checks = {k[:-5]: (r[k[:-5]], r[k[:-5] + ".bar"], r[k]) for k in r if k.endswith(".pass") and r[k] != ""}
        for other in filter(None, r.pop("other_checks").split(" | ")):
            found = re.fullmatch(r"(\S+)=(.*?) \((.*)\) (pass|fail)", other)
            assert found, other
            checks[found[1]] = (found[2], found[3], str(found[4] == "pass"))
        out[r["id"]] = {"checks": checks, **{k: v for k, v in r.items() if "." not in k}}
    return out


class _FailingSecondPage(GraphStore):
    """The real store, but its second page of board rows fails as an engine going away would."""

    def __init__(self, store: GraphStore) -> None:
        super().__init__(store.executor)
        self.pages = 0

    def read(self, name: str, **params):
        if name == "imports/export_accounts":
            self.pages += 1
            if self.pages == 2:
                raise StoreUnavailable("engine down")
        return super().read(name, **params)


def test_a_failed_xlsx_export_leaves_no_temporary_file(store, monkeypatch, tmp_path):
    """openpyxl writes a write-only sheet to a temporary file until the workbook is saved: an export
    failing midway deletes it (it stayed until the process ended, one per failed export)."""
    _imported(store)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(export, "PAGE", 2)
    with pytest.raises(StoreUnavailable):
        export.write(_FailingSecondPage(store), "board", "xlsx", io.BytesIO())
    gc.collect()
    assert not list(tmp_path.glob("openpyxl.*"))
    assert export.write(store, "board", "xlsx", io.BytesIO()) == 11 and not list(tmp_path.glob("openpyxl.*"))
