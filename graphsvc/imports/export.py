"""Export the board and the contacts as CSV or XLSX, and the CRM write-back files.

Exports stream: a page of rows at a time from the graph, written as it comes (openpyxl's
write-only workbook for XLSX), so exporting 100,000 accounts needs no more memory than 1,000.

Write-back files are what a user imports into the CRM to see graphsvc's verdict next to the
account: a HubSpot companies import file keyed by `Record ID`, a Salesforce Data Loader update file
keyed by `Id`. Their column names are CRM properties / custom fields the user creates once; the
defaults are below and each can be renamed (`--field stage=ABM_Stage__c`).
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from functools import partial
from typing import IO, Any

from graphsvc.imports import readiness_export
from graphsvc.rules import Ruleset, default_ruleset
from graphsvc.store.graph_store import GraphStore
from graphsvc.store.paging import id_pages

PAGE = 1_000
ID_PAGE = 50_000  # account or contact ids per range read (graphsvc.store.paging)
WHATS = ("board", "contacts", "readiness")
FORMATS = ("csv", "xlsx")
TARGETS = ("graphsvc", "hubspot", "salesforce")

BOARD = ("id", "name", "domain", "segment", "industry", "owner", "owner_name", "stage", "stage_since", "qualified_at", "fit",
         "engagement", "mqa_score", "missing_roles")
CONTACTS = ("id", "email", "first_name", "last_name", "title", "status", "lifecycle_stage", "lead_status", "account_id",
            "account_name", "roles")
# Write-back columns: board field -> CRM column (the key column first).
WRITEBACK: dict[str, dict[str, str]] = {
    "hubspot": {"id": "Record ID", "stage": "graphsvc stage", "stage_since": "graphsvc stage date",
                "qualified_at": "graphsvc qualified date", "fit": "graphsvc fit", "mqa_score": "graphsvc MQA score",
                "missing_roles": "graphsvc missing roles"},
    "salesforce": {"id": "Id", "stage": "graphsvc_Stage__c", "stage_since": "graphsvc_Stage_Date__c",
                   "qualified_at": "graphsvc_Qualified_Date__c", "fit": "graphsvc_Fit__c",
                   "mqa_score": "graphsvc_MQA_Score__c", "missing_roles": "graphsvc_Missing_Roles__c"},
}
_TIMES = ("stage_since", "qualified_at")


class ExportError(ValueError):
    """A bad export request (unknown field to rename, write-back of contacts)."""


def columns(what: str, target: str = "graphsvc", renames: dict[str, str] | None = None) -> dict[str, str]:
    """Field -> column header of an export."""
    if what == "readiness" and (target != "graphsvc" or renames):
        raise ExportError("the readiness export has no write-back form and no renamable fields: use `board` for "
                          "a CRM write-back file")
    if what == "readiness":
        return {}  # its check columns depend on the ruleset (graphsvc.imports.readiness_export)
    if target == "graphsvc":
        out = {f: f for f in (BOARD if what == "board" else CONTACTS)}
    elif what != "board":
        raise ExportError(f"write-back files are made of the board: `{target}` needs `board`, not `{what}`")
    else:
        out = dict(WRITEBACK[target])
    for name, header in (renames or {}).items():
        if name not in out:
            raise ExportError(f"no field {name!r} in this export; fields: {', '.join(out)}")
        if name == "id":
            raise ExportError("the key column (id) is the CRM's own: it cannot be renamed")
        out[name] = header
    return out


def rows(store: GraphStore, what: str) -> Iterator[dict[str, Any]]:
    """Every account (board) or contact, page by page in id order. The ids are read ID_PAGE at a
    time and the rows by id, PAGE at a time (graphsvc.store.paging)."""
    ids_of, rows_of = (("qualification/account_ids", "imports/export_accounts") if what == "board" else
                       ("read/contact_ids", "imports/export_contacts"))
    for ids in id_pages(partial(_ids, store, ids_of), PAGE):
        yield from store.read(rows_of, ids=ids)


def _ids(store: GraphStore, statement: str, after: str) -> list[str]:
    return [r["id"] for r in store.read(statement, after=after, limit=ID_PAGE)]


def _value(name: str, value: Any, target: str) -> Any:
    if value is None:
        return ""
    if name in _TIMES:
        when = datetime.fromtimestamp(value, UTC)
        return when.date().isoformat() if target != "graphsvc" else when.isoformat()  # CRM date fields: a date
    if isinstance(value, list):
        return ";".join(str(v) for v in value)  # HubSpot's multi-value separator; Salesforce multi-picklists too
    return value


def write(store: GraphStore, what: str, fmt: str, out: IO[bytes], target: str = "graphsvc",
          renames: dict[str, str] | None = None, ruleset: Ruleset | None = None, now: float | None = None,
          progress: Callable[[int], object] | None = None, processes: int = 1) -> int:
    """Write the export to the binary stream `out`; the number of rows. `readiness` evaluates every
    account with `ruleset` at `now` (the active ruleset, the current time), over `processes` worker
    processes when more than one. `progress(rows)` is called every PAGE rows and at the end."""
    cols = columns(what, target, renames)
    header: list[str] = list(cols.values())
    records: Iterator[list[Any]] = ([_value(k, r.get(k), target) for k in cols] for r in rows(store, what))
    if what == "readiness":
        header, records = readiness_export.rows_and_header(store, ruleset or default_ruleset(),
                                                           time.time() if now is None else now, processes)
    if progress is not None:
        records = _counted(records, progress)
    if fmt == "xlsx":
        return _xlsx(header, records, out)
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(header)
    n = 0
    for record in records:
        writer.writerow(record)
        n += 1
    text.flush()
    text.detach()  # leave `out` open for the caller
    return n


def _counted(records: Iterator[list[Any]], progress: Callable[[int], object]) -> Iterator[list[Any]]:
    n = 0
    for n, record in enumerate(records, 1):
        yield record
        if n % PAGE == 0:
            progress(n)
    if n % PAGE:
        progress(n)  # the last rows too: a count that stops short of the total looks like a cut file


def _xlsx(header: list[str], records: Iterator[list[Any]], out: IO[bytes]) -> int:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("export")
    sheet.append(header)
    n = 0
    try:
        for record in records:
            sheet.append(record)
            n += 1
    except BaseException:
        # A write-only sheet is a temporary file until save(): close and delete it (else it stays
        # in the temp dir, and its writer fails on the closed file when collected).
        sheet.close()
        sheet._writer.cleanup()
        raise
    book.save(out)
    return n
