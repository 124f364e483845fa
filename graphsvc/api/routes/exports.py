"""Exports: the board and the contacts as CSV or XLSX, and the HubSpot / Salesforce write-back files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import FileResponse, JSONResponse
from starlette.background import BackgroundTask

from graphsvc.api.deadline import answered_as_run
from graphsvc.api.deps import Now, Qualifier, State
from graphsvc.api.routes.inputs import NoNulParams
from graphsvc.auth.policy import Access
from graphsvc.errors import Conflict, GraphsvcError, InvalidInput, NotFound
from graphsvc.imports import export
from graphsvc.runs import Run, Runs

router = APIRouter(prefix="/v1", tags=["imports"], dependencies=[NoNulParams])
# Reading the board and the contacts: sales and analysts (admin always may).
ACCESS = Access({"*": ("sales", "analyst")})  # who may call these routes (graphsvc.auth.policy)

_MEDIA = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@router.get("/exports/{what}", response_class=FileResponse,
            responses={200: {"content": {_MEDIA["csv"]: {}, _MEDIA["xlsx"]: {}}, "description": "The export file."},
                       202: {"content": {"application/json": {}}, "description": "Still being written: the export "
                             "run, to follow at `Location` (`GET /v1/exports/runs/{id}`) to its file's URL"},
                       429: {"description": "Two exports are being written by this API process already: retry after "
                             "`Retry-After`"}},
            summary="Export the board, the contacts or readiness (CSV, XLSX), or a CRM write-back file",
            description="`board`: every account with owner, stage, stage date, qualification date, fit, engagement, "
            "MQA score and missing roles; `contacts`: every contact with account, buying roles, lifecycle stage and "
            "lead status; `readiness`: one row per account as readiness evaluates it now (active ruleset): stage, "
            "scores, MQA / SQL passed, every MQA and SQL check as value, bar and pass columns, missing roles, next "
            "action and why (no write-back form). `target=hubspot` "
            "makes the board a HubSpot companies import file (keyed by Record ID), `target=salesforce` a Data "
            "Loader update file (keyed by Id); `field=stage:ABM_Stage__c` renames a column to your CRM's property. The "
            "file is written whole before it is sent (an engine failure is an error, never a cut file), in the "
            "background: one still being written a few seconds before the request's deadline (GRAPHSVC_REQUEST_"
            "TIMEOUT_S; at 100k accounts the readiness export takes minutes, the board's XLSX about 30 s) is answered "
            "202 with JSON, `Location: /v1/exports/runs/{id}`, to follow to the file's URL.")
def get_export(
    request: Request,
    response: Response,
    state: State,
    q: Qualifier,
    now: Now,
    what: Literal["board", "contacts", "readiness"],
    format: Annotated[Literal["csv", "xlsx"], Query()] = "csv",
    target: Annotated[Literal["graphsvc", "hubspot", "salesforce"], Query()] = "graphsvc",
    field: Annotated[list[str] | None, Query(description="FIELD:COLUMN, repeatable: a write-back column's name.")]
    = None,
) -> Response:
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
    store, ruleset = state.store, q.ruleset
    name = f"{what}{'' if target == 'graphsvc' else '-' + target}.{format}"

    def work(run: Run) -> dict[str, Any]:
        total = store.counts()["contacts" if what == "contacts" else "accounts"]
        run.progress(0, total)
        # Written whole before it is answered (a file, then streamed), so an engine failure is a
        # clean error, never a cut file.
        run.directory.mkdir(parents=True, exist_ok=True)
        path = run.directory / name
        with path.open("wb") as out:
            rows = export.write(store, what, format, out, target, renames, ruleset=ruleset, now=now,
                                progress=lambda done: run.progress(done, total),
                                processes=state.settings.requalify_processes)
        return {"file": name, "rows": rows, "bytes": path.stat().st_size, "url": f"{run.location}/file"}

    runs = _runs(request)
    run = runs.start("export", {"what": what, "format": format, "target": target}, "rows", work)
    if not answered_as_run(runs, run, response, state.settings.request_timeout_s):
        return JSONResponse(run.to_dict(), status_code=202, headers={"Location": run.location})
    try:
        run.outcome()
    except GraphsvcError:
        runs.forget(run)
        raise
    # Answered at once: the file, then nothing of it is kept (the run has no id to follow).
    return _file(run.directory / name, background=BackgroundTask(runs.forget, run))


RUN_DESCRIPTION = (
    "An export answered 202 (its file still being written near the request's deadline): `status` is running, done, "
    "failed or interrupted; `done` of `total` rows so far. Done: `result` has the file's name, rows, bytes and `url` "
    "(`GET` it for the file, from any API worker of the machine, until it is one of more than 20 newer ones). "
    "Failed: `error` is the error the export would have answered (`status` its HTTP status: 503 when the engine "
    "went away). Interrupted: the API process writing it stopped; export again.")


@router.get("/exports/runs/{run_id}", summary="An export answered 202: progress, then its file's URL",
            description=RUN_DESCRIPTION)
def get_export_run(request: Request, run_id: str) -> dict[str, Any]:
    return _runs(request).show("export", run_id)


@router.get("/exports/runs/{run_id}/file", response_class=FileResponse, summary="The file of an export answered 202",
            responses={200: {"content": {_MEDIA["csv"]: {}, _MEDIA["xlsx"]: {}}, "description": "The export file."},
                       409: {"description": "The export has not ended, or it failed: nothing to download"}})
def get_export_file(request: Request, run_id: str) -> FileResponse:
    shown = _runs(request).show("export", run_id)
    if shown["status"] != "done":
        raise Conflict(f"export {run_id} is {shown['status']}: there is no file to download (GET "
                       f"/v1/exports/runs/{run_id} says why)", details={"status": shown["status"]})
    path = _runs(request).root / run_id / shown["result"]["file"]
    if not path.is_file():  # deleted with its run (more than 20 newer ones) since its record was read
        raise NotFound(f"export {run_id}'s file is no longer kept: export again")
    return _file(path)


def _file(path: Path, background: BackgroundTask | None = None) -> FileResponse:
    fmt = path.suffix.lstrip(".")
    return FileResponse(path, media_type=_MEDIA[fmt], filename=path.name, background=background)


def _runs(request: Request) -> Runs:
    runs: Runs = request.app.state.export_runs
    return runs
