"""Outcomes to calibrate and backtest against: an outcomes CSV, or the won / lost transitions the
graph recorded. Calibrating needs account id -> 1 (won) / 0 (lost); backtesting needs when, too."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

from graphsvc.errors import InvalidInput
from graphsvc.lab.backtest import Outcome
from graphsvc.store.graph_store import GraphStore

WON = {"won", "1", "true", "yes", "converted"}
LOST = {"lost", "0", "false", "no"}


def _when(text: str) -> float | None:
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        return None
    return at.timestamp() if at.tzinfo is not None else None


def parse_timed_csv(text: str, *, need_at: bool = True) -> dict[str, Outcome]:
    """`account_id,outcome[,at]` with a header row (outcome won/lost, 1/0, true/false, yes/no; `at`
    ISO-8601 with a timezone, required when `need_at`): every bad row is named in one 422."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    fields = [f.strip().lower() for f in reader.fieldnames or []]
    wanted = ["account_id", "outcome", *(["at"] if need_at else [])]
    if any(f not in fields for f in wanted):
        raise InvalidInput(f"the outcomes CSV needs the columns {', '.join(wanted)}",
                           details=[{"row": 1, "field": "header", "message": f"found {fields}"}])
    out: dict[str, Outcome] = {}
    errors: list[dict[str, Any]] = []
    for n, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        account, outcome = row.get("account_id", ""), row.get("outcome", "").lower()
        at = _when(row.get("at", ""))
        if not account:
            errors.append({"row": n, "field": "account_id", "message": "empty"})
        elif outcome not in WON | LOST:
            errors.append({"row": n, "field": "outcome", "message": f"{outcome!r} is not won/lost (or 1/0)"})
        elif need_at and at is None:
            errors.append({"row": n, "field": "at", "message": f"{row.get('at')!r} is not ISO-8601 with a timezone"})
        elif account in out and out[account].won != (outcome in WON):
            errors.append({"row": n, "field": "account_id", "message": f"{account!r} has two different outcomes"})
        else:
            out[account] = Outcome(outcome in WON, at if at is not None else 0.0)
    if errors:
        raise InvalidInput(f"{len(errors)} bad row(s) in the outcomes CSV; nothing was done", details=errors)
    return out


def parse_csv(text: str) -> dict[str, int]:
    """`account_id,outcome` -> account id -> 1 won / 0 lost (an `at` column is allowed, not needed)."""
    return {a: int(o.won) for a, o in parse_timed_csv(text, need_at=False).items()}


def recorded_timed(store: GraphStore) -> dict[str, Outcome]:
    """Each account's newest won / lost transition in the graph, with its time."""
    out: dict[str, Outcome] = {}
    for r in store.read("lab/outcomes"):  # ordered by id, at, change: the last one per account wins
        out[r["id"]] = Outcome(r["outcome"] == "won", float(r["at"]))
    return out


def recorded(store: GraphStore) -> dict[str, int]:
    """Each account's newest won / lost transition in the graph: 1 won, 0 lost."""
    return {a: int(o.won) for a, o in recorded_timed(store).items()}
