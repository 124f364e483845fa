"""Exports: the board and the contacts as CSV or XLSX, and the HubSpot / Salesforce write-back files."""

from __future__ import annotations

import tempfile
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from graphsvc.api.deps import Now, Qualifier, Store
from graphsvc.api.routes.inputs import NoNulParams
from graphsvc.auth.policy import Access
from graphsvc.errors import InvalidInput
from graphsvc.imports import export

router = APIRouter(prefix="/v1", tags=["imports"], dependencies=[NoNulParams])
# Reading the board and the contacts: sales and analysts (admin always may).
ACCESS = Access({"*": ("sales", "analyst")})  # who may call these routes (graphsvc.auth.policy)

_MEDIA = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@router.get("/exports/{what}", response_class=StreamingResponse,
            responses={200: {"content": {_MEDIA["csv"]: {}, _MEDIA["xlsx"]: {}}, "description": "The export file."}},
            summary="Export the board, the contacts or readiness (CSV, XLSX), or a CRM write-back file",
            description="`board`: every account with owner, stage, stage date, qualification date, fit, engagement, "
            "MQA score and missing roles; `contacts`: every contact with account, buying roles, lifecycle stage and "
            "lead status; `readiness`: one row per account as readiness evaluates it now (active ruleset): stage, "
            "scores, MQA / SQL passed, every MQA and SQL check as value, bar and pass columns, missing roles, next "
            "action and why (no write-back form). `target=hubspot` "
            "makes the board a HubSpot companies import file (keyed by Record ID), `target=salesforce` a Data "
            "Loader update file (keyed by Id); `field=stage:ABM_Stage__c` renames a column to your CRM's property.")
def get_export(
    store: Store,
    q: Qualifier,
    now: Now,
    what: Literal["board", "contacts", "readiness"],
    format: Annotated[Literal["csv", "xlsx"], Query()] = "csv",
    target: Annotated[Literal["graphsvc", "hubspot", "salesforce"], Query()] = "graphsvc",
    field: Annotated[list[str] | None, Query(description="FIELD:COLUMN, repeatable: a write-back column's name.")]
    = None,
) -> StreamingResponse:
    renames = {}
    for pair in field or []:
        name, sep, header = pair.partition(":")
        if not sep or not name.strip() or not header.strip():
            raise InvalidInput(f"{pair!r} is not FIELD:COLUMN", details=[{"row": None, "field": "query.field",
                                                                          "message": "expected FIELD:COLUMN"}])
        renames[name.strip()] = header.strip()
    try:
        export.columns(what, target, renames)
    except export.ExportError as exc:
        raise InvalidInput(str(exc), details=[{"row": None, "field": "query.field" if renames else "query.target",
                                              "message": str(exc)}]) from None
    # Written whole before the answer starts, so an engine failure is a clean 503, not a cut file;
    # spooled to disk past 16 MiB.
    buffer = tempfile.SpooledTemporaryFile(max_size=16 * 2**20)  # noqa: SIM115 - closed by the response
    export.write(store, what, format, buffer, target, renames, ruleset=q.ruleset, now=now)
    buffer.seek(0)
    name = f"{what}{'' if target == 'graphsvc' else '-' + target}.{format}"

    def chunks():
        with buffer:
            while data := buffer.read(1 << 16):
                yield data

    return StreamingResponse(chunks(), media_type=_MEDIA[format],
                             headers={"Content-Disposition": f'attachment; filename="{name}"'})
