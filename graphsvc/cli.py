"""`graphsvc`: run the API, seed data, requalify, run the analysts' library queries, manage API keys.

Exit codes: 0 success, 1 the operation failed (message on stderr), 2 bad usage (click's own).
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import click

from graphsvc import __version__
from graphsvc.config import Settings
from graphsvc.errors import GraphsvcError
from graphsvc.gc_tuning import tune_collector
from graphsvc.identity.commands import merge
from seeds.progress import LoadProgress


def _settings(data_dir: Path | None, *, store: bool = False) -> Settings:
    """The settings (GRAPHSVC_* and --data-dir). A bad value ends the command with a one-line error
    and exit 1, and so does a GRAPHSVC_STORE with an unknown scheme when `store` (the command opens it)."""
    from pydantic import ValidationError

    try:
        settings = Settings(data_dir=data_dir) if data_dir else Settings()
        if store:
            settings.engine  # noqa: B018 - raises ValueError for an unknown GRAPHSVC_STORE scheme
    except ValidationError as exc:
        _fail("; ".join(f"GRAPHSVC_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors()))
    except ValueError as exc:
        _fail(str(exc))
    return settings


def _requalify_all(store, processes: int = 1, retry_for_s: float = 300.0) -> dict:
    """A full pass with progress; a page the engine could not take is sent again for `retry_for_s`."""
    from graphsvc.qualification.parallel import requalify_all
    from graphsvc.qualification.registry import active_ruleset_for
    from graphsvc.qualification.service import QualificationService

    progress = LoadProgress(units={"engagement": "contacts", "requalify": "accounts"})  # a bar, or a line every few s
    started = time.monotonic()
    outcome = requalify_all(
        QualificationService(store, active_ruleset_for(store)), time.time(), processes=processes,
        progress=lambda done, changed: progress("requalify", done, time.monotonic() - started), retry_for_s=retry_for_s,
        rebuild_progress=lambda done, read: progress("engagement", done, time.monotonic() - started),  # new half-life
    )
    progress.close()
    return outcome


@contextmanager
def _open_store(data_dir: Path | None) -> Iterator:
    """The configured store for a one-shot command; any GraphsvcError ends it with exit 1."""
    from graphsvc.store.factory import open_store

    try:
        opened = open_store(_settings(data_dir, store=True))
    except GraphsvcError as exc:
        _fail(exc.message)
    try:
        yield opened
    except GraphsvcError as exc:
        _fail(exc.message)
    finally:
        opened.close()


def _fail(message: str) -> None:
    click.echo(f"graphsvc: error: {message}", err=True)
    sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="graphsvc")
def main() -> None:
    """graphsvc — account-based qualification over a graph.

    Engagement rolls up from contacts to Marketing Qualified Accounts (MQA); an MQA is promoted to
    SQL only with recent intent and a covered buying center. With no configuration the service
    runs on an embedded FalkorDB it starts itself; set GRAPHSVC_STORE=neo4j://host:7687 (or
    falkordb://host:port) to use a server.
    """
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # httpx logs every request at INFO (the CLI's calls to a service, every webhook delivery, with
    # their URLs); our own code logs what matters, once, with secrets redacted
    logging.getLogger("httpx").setLevel(logging.WARNING)
    tune_collector()  # a CLI process is long-running batch work: see gc_tuning


data_dir_option = click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="GRAPHSVC_DATA_DIR",
    help="Data directory of the embedded FalkorDB (default: the user data dir). Env: GRAPHSVC_DATA_DIR.",
)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", default=8000, show_default=True, type=int, envvar="GRAPHSVC_PORT", help="Port. Env: GRAPHSVC_PORT.")
@data_dir_option
@click.option("--demo", is_flag=True, help="Load the demo dataset (seeds/demo) if the store is empty.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64), envvar="GRAPHSVC_WORKERS",
              help="API worker processes (one per core is a good start). Env: GRAPHSVC_WORKERS.")
@click.option("--access-log/--no-access-log", default=True, show_default=True,
              help="Log every request (uvicorn's access log).")
def serve(host: str, port: int, data_dir: Path | None, demo: bool, workers: int, access_log: bool) -> None:
    """Start the HTTP API (OpenAPI page at /docs).

    Example: graphsvc serve --demo   then open http://127.0.0.1:8000/docs
    """
    import uvicorn

    from graphsvc.api.app import create_app
    from graphsvc.store.factory import open_store

    settings = _settings(data_dir, store=True)
    _check_keys_for(host, settings)
    try:
        # Opened here, not in the app's lifespan, so "data dir in use" or "engine won't start"
        # is a one-line error and exit 1 rather than a traceback from the server's startup.
        opened = open_store(settings)
    except GraphsvcError as exc:
        _fail(exc.message)
    try:
        _engagement_from_start(opened.store)
        if workers == 1:
            app = create_app(settings, store=opened.store, on_start=_load_demo_if_empty if demo else None)
            uvicorn.run(app, host=host, port=port, log_level="info", access_log=access_log)
        else:
            _serve_workers(settings, opened, host, port, workers, demo, access_log)
    finally:
        opened.close()


def _serve_workers(
    settings: Settings, opened, host: str, port: int, workers: int, demo: bool, access_log: bool
) -> None:
    """Several uvicorn worker processes over one store. This process owns the embedded engine (if
    any) and the periodic requalifier; the workers connect to the engine as an external one."""
    import os

    import uvicorn

    from graphsvc.events.delivery import DeliveryWorker
    from graphsvc.events.sla import SlaTimer
    from graphsvc.qualification.registry import active_ruleset_for
    from graphsvc.qualification.scheduler import Requalifier
    from graphsvc.state import AppState

    state = AppState(settings=settings, store=opened.store)
    if demo:
        _load_demo_if_empty(state)
    os.environ["GRAPHSVC_DATA_DIR"] = str(settings.data_dir)  # API keys live there
    os.environ["GRAPHSVC_REQUALIFY_INTERVAL_S"] = "0"  # only this process requalifies periodically
    os.environ["GRAPHSVC_REQUALIFY_PENDING_INTERVAL_S"] = "0"  # and drains pending requalifications
    # what the workers tell clients of that drain (requalify=later, GET /v1/requalification)
    os.environ["GRAPHSVC_REQUALIFY_PENDING_ELSEWHERE_S"] = str(settings.requalify_pending_interval_s)
    os.environ["GRAPHSVC_WEBHOOK_POLL_S"] = "0"  # and delivers webhooks
    os.environ["GRAPHSVC_SLA_INTERVAL_S"] = "0"  # and writes SLA reminders and breaches
    if opened.server:
        # The workers reach the embedded engine as an external one; its password they read from its
        # file (0600, owner only), so it is never in an environment variable or on a command line.
        os.environ["GRAPHSVC_STORE"] = opened.server.url
        os.environ["GRAPHSVC_STORE_PASSWORD_FILE"] = str(opened.server.password_file)
    requalifier = Requalifier(state, settings.requalify_interval_s, settings.requalify_pending_interval_s,
                              settings.requalify_full_pass).start()
    deliveries = DeliveryWorker(state).start()
    sla = SlaTimer(state, lambda: active_ruleset_for(state.store), settings.sla_interval_s).start()
    try:
        uvicorn.run("graphsvc.api.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                    log_level="info", access_log=access_log)
    finally:
        sla.stop()
        deliveries.stop()
        requalifier.stop()


def _engagement_from_start(store) -> None:
    """An empty graph keeps engagement aggregates from its first activity: before any request, so no
    activity can be written between the check and the index."""
    from graphsvc.ingest.service import IngestService, ingest_rules_from
    from graphsvc.qualification.registry import active_ruleset_for

    ingest = IngestService(store, ingest_rules_from(active_ruleset_for(store)))
    if ingest.engagement_from_start():
        logging.getLogger("graphsvc").info("empty graph: engagement aggregates kept from the first activity "
                                           "(half-life %.0f s)", ingest.rules.half_life_s)


def _load_demo_if_empty(state) -> None:
    from graphsvc.demo import load_demo_into

    if state.store.counts()["accounts"]:
        logging.getLogger("graphsvc").info("store is not empty: demo data not loaded")
        return
    progress = LoadProgress()
    report = load_demo_into(state, progress=progress)
    progress.close()
    _requalify_all(state.store)
    logging.getLogger("graphsvc").info("demo data loaded: %s in %.1f s", report.rows, report.seconds)


@main.command()
@click.option("--accounts", default=1_000, show_default=True, type=click.IntRange(1), help="Accounts to generate (about 10 contacts and 100 activities each).")
@click.option("--seed", "seed_", default=7, show_default=True, type=int, help="Random seed: same seed, same data.")
@click.option("--as-of", default=None, help="ISO-8601 time the data ends at (default: now).")
@click.option("--batch-size", default=5_000, show_default=True, type=click.IntRange(1, 10_000))
@data_dir_option
def seed(accounts: int, seed_: int, as_of: str | None, batch_size: int, data_dir: Path | None) -> None:
    """Generate a realistic B2B dataset and load it into the store.

    Example: graphsvc seed --accounts 10000   (100,000 contacts, 1,000,000 activities)
    """
    from graphsvc.ingest.service import IngestService, ingest_rules_from
    from graphsvc.loader import load
    from graphsvc.qualification.registry import active_ruleset_for
    from seeds.generator import generate

    try:
        when = datetime.fromisoformat(as_of) if as_of else datetime.now(UTC)
    except ValueError:
        raise click.BadParameter(f"{as_of!r} is not an ISO-8601 time", param_hint="--as-of") from None
    if when.tzinfo is None:
        raise click.BadParameter("needs a timezone, e.g. 2026-11-01T00:00:00Z", param_hint="--as-of")
    with _open_store(data_dir) as opened:
        dataset = generate(accounts=accounts, seed=seed_, as_of=when)
        ingest = IngestService(opened.store, ingest_rules_from(active_ruleset_for(opened.store)))
        data = {k: getattr(dataset, k) for k in ("accounts", "contacts", "leads", "activities")}
        progress = LoadProgress()  # per kind: a tqdm bar on a terminal, a line every few seconds in a log
        report = load(ingest, data, time.time(), batch_size=batch_size, progress=progress)
        progress.close()
        click.echo(f"loaded {report.rows} in {report.seconds:.1f} s")
        outcome = _requalify_all(opened.store, os.cpu_count() or 1)
        click.echo(f"requalified {outcome['accounts']:,} accounts: {outcome['changed']:,} changed stage")


def _check_keys_for(host: str, settings: Settings) -> None:
    """Without API keys the API is open, so it may only listen on loopback."""
    from graphsvc.auth import KeyStore, is_loopback

    try:
        keys = KeyStore.for_settings(settings).keys()
    except GraphsvcError as exc:
        _fail(exc.message)
    if not keys and not is_loopback(host):
        _fail(f"refusing to listen on {host} without API keys (none in {KeyStore.for_settings(settings).path}): "
              "create one with `graphsvc keys create --role admin`, or listen on 127.0.0.1")


@main.command()
@click.option("--all/--due", "all_", default=True, show_default=True,
              help="Every account (a full pass), or only those whose decay is due (requalify_at has come).")
@click.option("--processes", default=None, type=click.IntRange(1, 64), metavar="N",
              help="Worker processes for a full pass (default: the machine's cores). The pass is "
                   "Python-bound: one process keeps one core busy. 1: in this process.")
@click.option("--retry-for", "retry_for_s", default=300.0, show_default=True, type=click.FloatRange(0),
              metavar="SECONDS", help="How long a page the engine could not take (down, restarting after a "
              "crash, busy) is requalified again, with backoff, before the pass gives up; 0: never.")
@data_dir_option
def requalify(all_: bool, processes: int | None, retry_for_s: float, data_dir: Path | None) -> None:
    """Requalify every account now under the active ruleset (shows progress), or with --due only
    the accounts whose requalify_at has come (what the periodic requalifier does).

    Stage changes are recorded with actor rules@<version>, as on ingest. After upgrading to a
    version that keeps requalify_at (issue 10), run one full pass so every account has one. A page
    sent again after the engine lost its answer leaves the changes it had stored out of the count.
    """
    with _open_store(data_dir) as opened:
        if all_:
            outcome = _requalify_all(opened.store, processes or os.cpu_count() or 1, retry_for_s)
        else:
            from graphsvc.qualification.registry import active_ruleset_for
            from graphsvc.qualification.service import QualificationService

            outcome = QualificationService(opened.store, active_ruleset_for(opened.store)).requalify_due(
                time.time(), retry_for_s)
        click.echo(f"requalified {outcome['accounts']:,} accounts: {outcome['changed']:,} changed stage")


@main.command()
@click.argument("name", required=False)
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter of the query (repeatable). Lists: a,b,c. Times: epoch seconds or ISO-8601.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--api", metavar="URL", envvar="GRAPHSVC_API_URL",
              help="Run through a running service instead of opening the store (key: GRAPHSVC_API_KEY).")
@data_dir_option
def query(name: str | None, params: tuple[str, ...], fmt: str, api: str | None, data_dir: Path | None) -> None:
    """Run a query of the analysts' Cypher library (cypher/analytics/) and print its rows.

    Without NAME, list the library. Example: graphsvc query stuck_mqas --param min_days=45 --format csv
    """
    import os

    from graphsvc.analytics import commands
    from graphsvc.qualification.registry import active_ruleset_for

    try:
        if not name:
            click.echo(commands.describe_library())
            return
        pairs = commands.parse_pairs(params)
        if api:
            out = commands.run_remote(api, os.environ.get("GRAPHSVC_API_KEY"), name, pairs, fmt)
        else:
            out = commands.run_local(_settings(data_dir, store=True), name, pairs, fmt, active_ruleset_for)
    except GraphsvcError as exc:
        problems = exc.details if isinstance(exc.details, list) else []
        _fail(exc.message + "".join(f"\n  {d['field']}: {d['message']}" for d in problems if isinstance(d, dict)))
    click.echo(out)


@main.group()
def keys() -> None:
    """Manage API keys (stored hashed in <data dir>/api_keys.json or GRAPHSVC_API_KEYS_FILE).

    Roles: ingest (write data), sales (readiness, buying centers, transitions, roles), analyst
    (library queries, ad-hoc Cypher, reports), admin (rules, keys; implies every role).
    """


@keys.command("create")
@click.option("--role", "roles", multiple=True, required=True,
              type=click.Choice(["ingest", "sales", "analyst", "admin"]), help="A role of the key (repeatable).")
@click.option("--label", default=None, help="Who or what uses the key.")
@data_dir_option
def keys_create(roles: tuple[str, ...], label: str | None, data_dir: Path | None) -> None:
    """Create a key and print it, once, alone on the last line (only its hash is kept).

    Example: KEY=$(graphsvc keys create --role analyst --label "BI dashboards")
    """
    from graphsvc.auth import KeyStore

    store = KeyStore.for_settings(_settings(data_dir))
    try:
        key, secret = store.create(list(roles), label)
    except GraphsvcError as exc:
        _fail(exc.message)
    click.echo(f"created API key {key.id} with role(s) {', '.join(key.roles)} in {store.path}", err=True)
    click.echo("copy it now: it is not shown again", err=True)
    click.echo(secret)


@keys.command("list")
@data_dir_option
def keys_list(data_dir: Path | None) -> None:
    """List the keys: id, roles, label, creation time (never the secrets)."""
    from graphsvc.auth import KeyStore

    store = KeyStore.for_settings(_settings(data_dir))
    try:
        found = store.keys()
    except GraphsvcError as exc:
        _fail(exc.message)
    if not store.path.exists():
        click.echo(f"no keys file ({store.path}): the API runs open, on loopback only", err=True)
    for k in found:
        click.echo(f"{k.id}  {','.join(k.roles):<24} {k.created_at}  {k.label or ''}".rstrip())


@keys.command("revoke")
@click.argument("key_id")
@data_dir_option
def keys_revoke(key_id: str, data_dir: Path | None) -> None:
    """Revoke a key by id (a running service refuses it from its next request)."""
    from graphsvc.auth import KeyStore

    try:
        found = KeyStore.for_settings(_settings(data_dir)).revoke(key_id)
    except GraphsvcError as exc:
        _fail(exc.message)
    if not found:
        _fail(f"no API key with id {key_id!r}")
    click.echo(f"revoked {key_id}")


from graphsvc.events.cli import events  # noqa: E402 - the events group lives in its package

main.add_command(events)
main.add_command(merge)
from graphsvc.imports.commands import export_command, import_command  # noqa: E402 - registered with the others

main.add_command(import_command)
main.add_command(export_command)
from graphsvc.lab.commands import rules as _lab_rules  # noqa: E402 - the rules lab's group (its own package)

main.add_command(_lab_rules)

if __name__ == "__main__":  # pragma: no cover
    main()
