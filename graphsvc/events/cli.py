"""`graphsvc events tail`: the outbox feed on the terminal, from the store or a running service."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from graphsvc.errors import GraphsvcError, StoreUnavailable
from graphsvc.service_client import call

Page = Callable[[int, list[str], int], dict[str, Any]]  # after, types, limit -> {"events", "next_cursor"}


def _fail(message: str) -> None:
    click.echo(f"graphsvc: error: {message}", err=True)
    sys.exit(1)


def remote_pages(url: str, key: str | None) -> tuple[Page, Callable[[], int]]:
    """The feed of a running service (`GET /v1/events`)."""

    def get(params: dict[str, Any]) -> dict[str, Any]:
        return call(url, "/v1/events", key, params=params)

    def page(after: int, types: list[str], limit: int) -> dict[str, Any]:
        return get({"after": after, "types": types, "limit": limit})

    def last() -> int:
        return int(page(0, [], 1)["last_id"])

    return page, last


def follow(page: Page, after: int, types: list[str], *, forever: bool, interval_s: float,
           count: int | None, sleep: Callable[[float], None] = time.sleep) -> Iterator[dict[str, Any]]:
    """Events after `after`, in order; with `forever`, keep polling every `interval_s` seconds.
    Stops after `count` events when given. A failed poll while following is retried (the service or
    the engine restarting), not fatal."""
    seen = 0
    while True:
        try:
            body = page(after, types, 500)
        except StoreUnavailable as exc:
            if not forever:
                raise
            click.echo(f"graphsvc: {exc.message}; retrying in {interval_s:g} s", err=True)
            sleep(interval_s)
            continue
        for event in body["events"]:
            yield event
            seen += 1
            if count is not None and seen >= count:
                return
        after = body["next_cursor"]
        if not body["events"]:
            if not forever:
                return
            sleep(interval_s)


def line(event: dict[str, Any]) -> str:
    data = event["data"]
    if event["type"] == "stage_changed":
        what = f"{data.get('from')} -> {data.get('to')}"
        if data.get("reason"):
            what += f" ({data['reason']})"
    elif event["type"] == "roles_changed":
        what = f"contact {data.get('contact_id')}: +{','.join(data.get('confirmed') or []) or '-'} " \
               f"-{','.join(data.get('removed') or []) or '-'}"
    else:
        what = json.dumps(data, sort_keys=True)
    return f"#{event['id']}  {event['at']}  {event['type']:<14} {event['account_id']}  {what}  by {event['actor']}"


@click.group("events")
def events() -> None:
    """The events outbox: every stage change and role change, in order (see also GET /v1/events)."""


@events.command("tail")
@click.option("--after", type=click.IntRange(min=0), default=None,
              help="Print the events after this id (the last one you handled). Default: the last --last ones.")
@click.option("--last", "last_n", type=click.IntRange(min=0), default=10, show_default=True,
              help="Without --after: start this many events before the newest.")
@click.option("--type", "types", multiple=True, metavar="TYPE",
              help="Only this event type (repeatable): stage_changed, roles_changed.")
@click.option("--follow", "-f", "forever", is_flag=True, help="Keep waiting for new events (Ctrl-C stops).")
@click.option("--interval", type=click.FloatRange(min=0.05), default=1.0, show_default=True,
              help="Seconds between polls with --follow.")
@click.option("--count", type=click.IntRange(min=1), default=None, help="Stop after this many events.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: one event per line (JSON Lines), as GET /v1/events returns them.")
@click.option("--api", metavar="URL", envvar="GRAPHSVC_API_URL",
              help="Read through a running service instead of opening the store (key: GRAPHSVC_API_KEY).")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), envvar="GRAPHSVC_DATA_DIR",
              help="Data directory of the embedded FalkorDB. Env: GRAPHSVC_DATA_DIR.")
def tail(after: int | None, last_n: int, types: tuple[str, ...], forever: bool, interval: float,
         count: int | None, fmt: str, api: str | None, data_dir: Path | None) -> None:
    """Print events as they happen, oldest first.

    Resumable: the id (#N) of the last event printed is the --after of the next run; delivery is at
    least once, so a consumer de-duplicates by id. With a running service on the embedded engine
    (whose data directory is locked), use --api http://127.0.0.1:8000. Exit codes: 0 done (or
    Ctrl-C), 1 the store or service failed, 2 bad usage.

    Example: graphsvc events tail --follow --type stage_changed --format json
    """
    from graphsvc.events.feed import check_types

    try:
        wanted = check_types(types, field="--type")
    except GraphsvcError as exc:
        raise click.UsageError("; ".join(d["message"] for d in exc.details)) from exc
    opened = None
    try:
        if api:
            page, last = remote_pages(api, os.environ.get("GRAPHSVC_API_KEY"))
        else:
            from graphsvc.config import Settings
            from graphsvc.events.feed import EventFeed
            from graphsvc.store.factory import open_store

            opened = open_store(Settings(data_dir=data_dir) if data_dir else Settings())
            feed = EventFeed(opened.store)
            page, last = (lambda a, t, n: feed.page(a, t, None, n)), feed.last_id
        start = after if after is not None else max(0, last() - last_n)
        for event in follow(page, start, wanted, forever=forever, interval_s=interval, count=count):
            click.echo(json.dumps(event, sort_keys=True) if fmt == "json" else line(event))
    except GraphsvcError as exc:
        _fail(exc.message)
    except KeyboardInterrupt:
        pass
    finally:
        if opened is not None:
            opened.close()
