"""CRM import over HTTP: upload export files, follow the job, download the rejected rows."""

from __future__ import annotations

import re
import shutil
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile
from fastapi.responses import FileResponse

from graphsvc.api.deadline import answer_within
from graphsvc.api.deps import Now, State
from graphsvc.api.routes.inputs import NoNulParams
from graphsvc.auth.policy import Access
from graphsvc.errors import BatchTooLarge, InvalidInput, NotFound
from graphsvc.imports.job import ImportOptions
from graphsvc.imports.jobs import KEEP, ImportJob, ImportJobs, SavedImportJob
from graphsvc.imports.mapping import MappingError, load_mapping
from graphsvc.qualification.registry import active_ruleset

router = APIRouter(prefix="/v1", tags=["imports"], dependencies=[NoNulParams])
# Importing writes data: the ingest role (admin always may).
ACCESS = Access({"*": ("ingest",)})  # who may call these routes (graphsvc.auth.policy)

MAX_UPLOAD_BYTES = 512 * 1024 * 1024  # all files of one import together; a 250,000-row export is ~100 MB
MAX_FILES = 20


def _jobs(request: Request, state: State) -> ImportJobs:
    jobs = getattr(request.app.state, "import_jobs", None)
    if jobs is None:
        jobs = request.app.state.import_jobs = ImportJobs(state.settings.data_dir / "imports")
    return jobs


def _job(request: Request, state: State, job_id: str) -> ImportJob | SavedImportJob:
    job = _jobs(request, state).get(job_id)
    if job is None:
        raise NotFound(f"no import job {job_id!r} (the last {KEEP} jobs of each API process are kept)")
    return job


def _problem(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, details=[{"row": None, "field": field, "message": message}])


def _file_name(name: str | None, taken: set[str]) -> str:
    base = re.sub(r"[^\w.\- ]+", "_", (name or "upload").replace("\\", "/").rsplit("/", 1)[-1]).strip(" .") or "upload"
    out, n = base, 1
    while out in taken:
        n += 1
        out = f"{n}-{base}"
    taken.add(out)
    return out


_ERRORS = {
    413: {"description": "The files are larger than 512 MiB together, or more than 20."},
    422: {"description": "A bad option (`tz`, `mapping`, `source`): `details` names it. Problems in the files' rows "
                         "are not errors of the request: they are in the job's report."},
}


@router.post("/imports", status_code=202, responses=_ERRORS,
             summary="Import CRM export files (CSV, XLSX): answers an import job to follow",
             description="Multipart upload of one or more export files: HubSpot contacts and companies (English, "
             "German, French, Spanish, Dutch headers), Salesforce Data Loader / Bulk API extracts and report "
             "exports, or anything else with a TOML `mapping` file. Every row is checked first and every problem "
             "reported by file, line and field; then accounts, contacts and leads are written in batches through "
             "the ingest checks and the touched accounts requalified. Without `skip_invalid` nothing is written "
             "while any row has a problem; `dry_run` counts what would be created, updated, matched and refused. "
             "The job runs in the background (202); `wait=true` answers the finished job (200), for small files: one "
             "that has not ended a few seconds before the request's deadline (GRAPHSVC_REQUEST_TIMEOUT_S) is answered "
             "202 as it is, to follow with GET. "
             "Re-importing a file changes nothing.")
def post_import(
    request: Request,
    response: Response,
    state: State,
    now: Now,
    files: Annotated[list[UploadFile], File(description="The export files (CSV in any common encoding and "
                                                        "delimiter, or XLSX).")],
    source: Annotated[Literal["auto", "hubspot", "salesforce", "csv"], Form()] = "auto",
    tz: Annotated[str | None, Form(description="IANA zone of times written without one, e.g. Europe/Berlin "
                                               "(HubSpot exports portal-local times).")] = None,
    dry_run: Annotated[bool, Form()] = False,
    skip_invalid: Annotated[bool, Form()] = False,
    retry_for: Annotated[float, Form(ge=0, le=3600, allow_inf_nan=False,
                                     description="Seconds a batch the engine could not take (down, restarting, "
                                     "busy) is sent again before the job fails; 0: never.")] = 300.0,
    mapping: Annotated[UploadFile | None, File(description="A TOML mapping file (see docs/imports.md).")] = None,
    wait: Annotated[bool, Query(description="Wait for the job and answer it finished (200); still running near the "
                                            "request's deadline: answered as it is (202).")] = False,
) -> dict[str, Any]:
    if len(files) > MAX_FILES:
        raise BatchTooLarge(f"{len(files)} files in one import; the limit is {MAX_FILES}",
                            details={"files": len(files), "limit": MAX_FILES})
    try:
        zone = ZoneInfo(tz) if tz else None
    except (ZoneInfoNotFoundError, ValueError):
        raise _problem("tz", f"{tz!r} is not an IANA time zone (e.g. Europe/Berlin, UTC)") from None
    if source == "csv" and mapping is None:
        raise _problem("mapping", "source csv needs a mapping file")
    taken: set[str] = set()
    names = [_file_name(f.filename, taken) for f in files]
    options = ImportOptions(source=source, tz=zone, dry_run=dry_run, skip_invalid=skip_invalid, retry_for_s=retry_for)
    jobs = _jobs(request, state)
    job = jobs.create(names, options, now)
    uploads, size = job.directory / "uploads", 0
    try:
        for upload, name in zip(files, names):
            with open(uploads / name, "wb") as out:
                shutil.copyfileobj(upload.file, out, 1024 * 1024)
            size += (uploads / name).stat().st_size
            if size > MAX_UPLOAD_BYTES:
                raise BatchTooLarge(f"the files are larger than {MAX_UPLOAD_BYTES // 2**20} MiB together: import "
                                    "them in parts, or with `graphsvc import`", details={"limit": MAX_UPLOAD_BYTES})
        if mapping is not None:
            path = job.directory / "mapping.toml"
            with open(path, "wb") as out:
                shutil.copyfileobj(mapping.file, out)
            try:
                options.mapping = load_mapping(path)
            except MappingError as exc:
                raise _problem("mapping", str(exc).replace(str(path), mapping.filename or "mapping")) from None
    except BaseException:
        job.fail("the upload was refused")
        shutil.rmtree(uploads, ignore_errors=True)
        raise
    ended = jobs.run(job, state.store, active_ruleset(state), now,
                     wait_s=answer_within(state.settings.request_timeout_s) if wait else 0.0)
    if wait and ended:
        response.status_code = 200
    return job.to_dict()


@router.get("/imports/{job_id}", summary="An import job: status, progress and, when done, its report",
            description="`status` is queued, running, done, failed or interrupted (the API process running it "
            "stopped before it ended: import the files again); `phase` and `rows_done` say how far it is; "
            "`waiting`, while not null, why a running job is not moving (the engine could not take a batch, which is "
            "sent again for up to `retry_for` seconds, 300 by default, before the job fails). "
            "When done, `report` holds the counts per kind (created, updated, refused, merged, matched...) and "
            "every problem by file, line, column and field; `rejected` links each file's refused rows. Any API worker "
            "answers (the job's state is written beside its files, at most a second behind).")
def get_import(request: Request, state: State, job_id: str) -> dict[str, Any]:
    return _job(request, state, job_id).to_dict()


@router.get("/imports/{job_id}/rejected/{file_name}", response_class=FileResponse,
            responses={200: {"content": {"text/csv": {}}, "description": "The refused rows."}},
            summary="The refused rows of one file, as a CSV to fix and import again",
            description="The file's own columns plus `import_problems` (what is wrong with the row); importing the "
            "fixed file ignores that column.")
def get_rejected(request: Request, state: State, job_id: str, file_name: str) -> FileResponse:
    job = _job(request, state, job_id)
    if file_name not in job.rejected_files():
        raise NotFound(f"import job {job_id!r} has no rejected rows file {file_name!r}")
    return FileResponse(job.rejected_dir / file_name, media_type="text/csv", filename=file_name)
