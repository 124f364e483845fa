"""`graphsvc import`: CRM exports (CSV, XLSX) into the graph, with a preview and a row report.

Exit codes: 0 every row imported (or, with --dry-run, would be); 1 some row or file has a problem
(with --skip-invalid the good rows were written), or the import failed; 2 bad usage.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

from graphsvc.errors import GraphsvcError


def _store(data_dir: Path | None) -> Any:
    """The configured store (an OpenedStore: `.store`, `.close()`); a bad setting or an engine that
    does not start ends the command with exit 1."""
    from graphsvc.config import Settings
    from graphsvc.store import factory

    try:
        return factory.open_store(Settings(data_dir=data_dir) if data_dir else Settings())
    except (GraphsvcError, ValueError) as exc:
        _fail(getattr(exc, "message", str(exc)))


def _zone(_ctx: click.Context, _param: click.Parameter, value: str | None) -> Any:
    if value is None:
        return None
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise click.BadParameter(f"{value!r} is not an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)"
                                 ) from None


def _fail(message: str) -> None:
    click.echo(f"graphsvc: error: {message}", err=True)
    sys.exit(1)


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", type=click.Choice(["auto", "hubspot", "salesforce", "csv"]), default="auto",
              show_default=True, help="Which CRM made the files; auto recognises HubSpot and Salesforce exports "
              "by their headers; csv needs --mapping.")
@click.option("--mapping", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A TOML mapping file for exports no recogniser knows (see docs/imports.md).")
@click.option("--tz", "tz", callback=_zone, metavar="ZONE",
              help="Time zone of times written without one (HubSpot exports portal-local times), e.g. Europe/Berlin.")
@click.option("--dry-run", is_flag=True, help="Check everything and count what would be created, updated, matched "
              "and refused; write nothing.")
@click.option("--skip-invalid", is_flag=True, help="Write the good rows and report the others (default: write "
              "nothing while any row has a problem).")
@click.option("--rejected", "rejected_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write each file's refused rows to DIR/<file>.rejected.csv, with their problems, to fix and "
              "import again.")
@click.option("--batch-size", default=2_000, show_default=True, type=click.IntRange(1, 10_000),
              help="Rows per ingest transaction.")
@click.option("--retry-for", "retry_for_s", default=300.0, show_default=True, type=click.FloatRange(0),
              metavar="SECONDS", help="How long a batch the engine could not take (down, restarting, busy) is "
              "sent again, with backoff, before the import gives up; 0: never.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: a summary for people; json: the whole report (every problem by file, line and field).")
@click.option("--progress/--no-progress", default=True, show_default=True, help="Progress on stderr.")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), envvar="GRAPHSVC_DATA_DIR",
              help="Data directory of the embedded FalkorDB (default: the user data dir). Env: GRAPHSVC_DATA_DIR.")
def import_command(files: tuple[Path, ...], source: str, mapping: Path | None, tz: Any, dry_run: bool,
                   skip_invalid: bool, rejected_dir: Path | None, batch_size: int, retry_for_s: float, fmt: str,
                   progress: bool, data_dir: Path | None) -> None:
    """Import CRM exports: HubSpot contacts and companies (English, German, French, Spanish, Dutch
    headers), Salesforce Data Loader / Bulk API extracts and report exports, or any CSV/XLSX through
    a mapping file.

    Every row is checked first and every problem reported by file, line and field; then accounts,
    contacts and leads are written in batches through the ingest API's checks, and the accounts
    touched are requalified. Re-importing a file changes nothing.

    Example: graphsvc import Account.csv Contact.csv Lead.csv --dry-run
    """
    from graphsvc.imports.job import Importer, ImportOptions
    from graphsvc.imports.mapping import MappingError, load_mapping
    from graphsvc.qualification.registry import active_ruleset_for
    from seeds.progress import LoadProgress

    try:
        loaded = load_mapping(mapping) if mapping else None
    except MappingError as exc:
        raise click.BadParameter(str(exc), param_hint="--mapping") from None
    if source == "csv" and loaded is None:
        raise click.UsageError("--source csv needs --mapping MAP.toml")
    options = ImportOptions(source=source, mapping=loaded, tz=tz, dry_run=dry_run, skip_invalid=skip_invalid,
                            batch_size=batch_size, rejected_dir=rejected_dir, retry_for_s=retry_for_s)
    # A tqdm bar per phase on a terminal, a line every few seconds otherwise (seeds.progress).
    bars = LoadProgress(enabled=progress)
    opened = _store(data_dir)
    try:
        store = opened.store
        importer = Importer(store, active_ruleset_for(store), time.time(), options,
                            progress=lambda phase, done: bars(phase, done, 0.0))
        report = importer.run([(p, p.name) for p in files])
    except GraphsvcError as exc:
        bars.close()
        _fail(exc.message)
    finally:
        opened.close()
    bars.close()
    click.echo(json.dumps(report.to_dict(), indent=2, default=str) if fmt == "json" else report.summary())
    if report.problem_count:
        sys.exit(1)


@click.command("export")
@click.argument("what", type=click.Choice(["board", "contacts", "readiness"]))
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True)
@click.option("--target", type=click.Choice(["graphsvc", "hubspot", "salesforce"]), default="graphsvc",
              show_default=True, help="hubspot: a companies import file keyed by Record ID; salesforce: a Data Loader "
              "update file keyed by Id; both carry stage, its date, the qualification date, scores and missing roles.")
@click.option("--field", "fields", multiple=True, metavar="FIELD=COLUMN",
              help="Rename a column of the write-back file to your CRM property / custom field (repeatable), e.g. "
              "--field stage=ABM_Stage__c.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default: standard output; XLSX needs a file or a pipe).")
@click.option("--processes", default=None, type=click.IntRange(min=1), metavar="N", envvar="GRAPHSVC_REQUALIFY_PROCESSES",
              help="Worker processes evaluating the readiness export, which is Python-bound (default: the machine's "
              "cores; 1 = in this process). Env: GRAPHSVC_REQUALIFY_PROCESSES.")
@click.option("--progress/--no-progress", default=True, show_default=True,
              help="Rows written so far on stderr (a bar on a terminal, a line every few seconds otherwise).")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), envvar="GRAPHSVC_DATA_DIR",
              help="Data directory of the embedded FalkorDB (default: the user data dir). Env: GRAPHSVC_DATA_DIR.")
def export_command(what: str, fmt: str, target: str, fields: tuple[str, ...], output: Path | None,
                   processes: int | None, progress: bool, data_dir: Path | None) -> None:
    """Export the board (accounts with stage, scores and missing roles), the contacts, or readiness
    (every account's MQA / SQL checks with value, bar and pass, missing roles, next action) as CSV or
    XLSX, or the board as a HubSpot / Salesforce write-back file to import into the CRM.

    Example: graphsvc export board --target salesforce --field stage=ABM_Stage__c -o accounts-update.csv
    """
    from graphsvc.imports import export
    from graphsvc.qualification.registry import active_ruleset_for
    from seeds.progress import LoadProgress

    renames = {}
    for pair in fields:
        name, sep, header = pair.partition("=")
        if not sep or not name.strip() or not header.strip():
            raise click.BadParameter(f"{pair!r} is not FIELD=COLUMN", param_hint="--field")
        renames[name.strip()] = header.strip()
    try:
        export.columns(what, target, renames)
    except export.ExportError as exc:
        raise click.UsageError(str(exc)) from None
    if fmt == "xlsx" and output is None and sys.stdout.isatty():
        raise click.UsageError("XLSX is binary: give --output FILE (or pipe the output)")
    unit = "contacts" if what == "contacts" else "accounts"
    bars = LoadProgress(enabled=progress, units={what: unit})  # a bar on a terminal, a line every few s otherwise
    opened = _store(data_dir)
    try:
        ruleset, now = (active_ruleset_for(opened.store), time.time()) if what == "readiness" else (None, None)
        bars.totals[what] = opened.store.counts()[unit]
        options: dict[str, Any] = {"processes": processes or os.cpu_count() or 1,
                                   "progress": lambda done: bars(what, done, 0.0)}
        if output is not None:
            with open(output, "wb") as out:
                n = export.write(opened.store, what, fmt, out, target, renames, ruleset, now, **options)
        else:
            n = export.write(opened.store, what, fmt, sys.stdout.buffer, target, renames, ruleset, now, **options)
            sys.stdout.buffer.flush()
    except GraphsvcError as exc:
        bars.close()  # before the error, not after it
        _fail(exc.message)
    finally:
        bars.close()
        opened.close()
    click.echo(f"exported {n:,} {unit}" + (f" to {output}" if output else ""),
               err=True)
