"""`graphsvc merge`: merge duplicate contacts or accounts, and list candidate duplicates, on the
configured store (GRAPHSVC_STORE; the embedded one when unset and not in use by a running service).

Exit codes: 0 done, 1 the merge failed or was refused (message on stderr), 2 bad usage.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from graphsvc.config import Settings
from graphsvc.errors import GraphsvcError
from graphsvc.identity.duplicates import account_candidates, contact_candidates
from graphsvc.identity.merge import Kind, MergeService
from graphsvc.store.graph_store import GraphStore

__all__ = ["merge"]

FORMAT = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
                      help="json: the same answer the HTTP API gives.")


DATA_DIR = click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), envvar="GRAPHSVC_DATA_DIR",
                        help="Data directory of the embedded FalkorDB (default: the user data dir). Env: GRAPHSVC_DATA_DIR.")


def _run(action: Callable[[GraphStore], Any], data_dir: Path | None) -> Any:
    from graphsvc.store.factory import open_store

    try:
        opened = open_store(Settings(data_dir=data_dir) if data_dir else Settings())
        try:
            return action(opened.store)
        finally:
            opened.close()
    except GraphsvcError as exc:
        click.echo(f"graphsvc: error: {exc.message}", err=True)
        for d in exc.details if isinstance(exc.details, list) else []:
            if isinstance(d, dict):
                click.echo(f"  {d.get('field')}: {d.get('message')}", err=True)
        sys.exit(1)


@click.group()
def merge() -> None:
    """Merge duplicate contacts or accounts into a survivor, or list candidate duplicates.

    A merge is one transaction: the survivor takes everything of the merged records (activities,
    roles, reporting lines, leads; for accounts contacts, buying groups, subsidiaries and stage
    changes), the merged ids (and contacts' emails) stay aliases that ingest follows, and the merge
    is recorded with its actor. The accounts involved are marked for requalification, which a
    running service does within GRAPHSVC_REQUALIFY_PENDING_INTERVAL_S (or run `graphsvc requalify`).

    Example: graphsvc merge contacts 0031x00000AbC hs-51000 --actor ops@example.com
    """


def _merge_command(kind: Kind) -> click.Command:
    @click.command(name=f"{kind}s", help=f"Merge MERGED {kind}s into SURVIVOR (ids as stored).")
    @click.argument("survivor")
    @click.argument("merged", nargs=-1, required=True)
    @click.option("--actor", required=True, help="Who merges (recorded with the merge).")
    @click.option("--reason", default=None, help="Why (recorded with the merge).")
    @FORMAT
    @DATA_DIR
    def command(survivor: str, merged: tuple[str, ...], actor: str, reason: str | None, fmt: str,
                data_dir: Path | None) -> None:
        out = _run(lambda store: MergeService(store).merge(kind, survivor, list(merged), actor=actor, reason=reason,
                                                          now=time.time()), data_dir)
        out.pop("accounts", None)
        if fmt == "json":
            click.echo(json.dumps(out, indent=2))
            return
        if out["merged"]:
            click.echo(f"merged {', '.join(out['merged'])} into {survivor} (merge {out['merge_id']})")
        if out["already_merged"]:
            click.echo(f"already merged into {survivor}: {', '.join(out['already_merged'])}")
        if out.get("parent_dropped"):
            click.echo(f"{survivor} did not take the parent {out['parent_dropped']}: it would have closed a loop")
    return command


merge.add_command(_merge_command("contact"))
merge.add_command(_merge_command("account"))


@merge.command("candidates")
@click.argument("kind", type=click.Choice(["contacts", "accounts"]))
@FORMAT
@DATA_DIR
def candidates(kind: str, fmt: str, data_dir: Path | None) -> None:
    """List candidate duplicates: contacts with the same email or normalised name at one email
    domain; accounts with the same domain or normalised name."""
    groups = _run(contact_candidates if kind == "contacts" else account_candidates, data_dir)
    if fmt == "json":
        click.echo(json.dumps({"groups": groups}, indent=2))
        return
    for g in groups:
        click.echo(f"{g['reason']:<22} {g['key']:<40} {' '.join(g['ids'])}")
    click.echo(f"{len(groups)} group(s)", err=True)
