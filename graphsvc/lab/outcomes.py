"""Outcomes to calibrate and backtest against: an outcomes CSV, or the won / lost transitions the
graph recorded. Either way: account id -> 1 (won) or 0 (lost)."""

from __future__ import annotations

import csv
import io
from typing import Any

from graphsvc.errors import InvalidInput
from graphsvc.store.graph_store import GraphStore

WON = {"won", "1", "true", "yes", "converted"}
LOST = {"lost", "0", "false", "no"}


def parse_csv(text: str) -> dict[str, int]:
    """`account_id,outcome` (a header row; outcome won/lost, 1/0, true/false, yes/no): every bad row
    is named in one 422."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    fields = [f.strip().lower() for f in reader.fieldnames or []]
    if "account_id" not in fields or "outcome" not in fields:
        raise InvalidInput("the outcomes CSV needs the columns account_id and outcome",
                           details=[{"row": 1, "field": "header", "message": f"found {fields}"}])
    out: dict[str, int] = {}
    errors: list[dict[str, Any]] = []
    for n, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        account, outcome = row.get("account_id", ""), row.get("outcome", "").lower()
        if not account:
            errors.append({"row": n, "field": "account_id", "message": "empty"})
        elif outcome not in WON | LOST:
            errors.append({"row": n, "field": "outcome", "message": f"{outcome!r} is not won/lost (or 1/0)"})
        elif account in out and out[account] != int(outcome in WON):
            errors.append({"row": n, "field": "account_id", "message": f"{account!r} has two different outcomes"})
        else:
            out[account] = int(outcome in WON)
    if errors:
        raise InvalidInput(f"{len(errors)} bad row(s) in the outcomes CSV; nothing was calibrated", details=errors)
    return out


def recorded(store: GraphStore) -> dict[str, int]:
    """Each account's newest won / lost transition in the graph."""
    out: dict[str, int] = {}
    for r in store.read("lab/outcomes"):  # ordered by id, at, change: the last one per account wins
        out[r["id"]] = int(r["outcome"] == "won")
    return out
