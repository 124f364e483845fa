"""Printing query results for people (a table) and for programs (CSV, JSON)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from graphsvc.store.queries import Column
from graphsvc.store.records import iso

__all__ = ["render"]


def render(columns: Sequence[str], rows: Sequence[dict[str, Any]], fmt: str = "table",
           documented: Sequence[Column] = ()) -> str:
    if fmt == "json":
        return json.dumps(rows, indent=2, default=str)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_csv_cell(row.get(c)) for c in columns])
        return buf.getvalue().rstrip("\n")
    times = {c.name for c in documented if "epoch seconds" in c.doc}
    cells = [[_cell(row.get(c), c in times) for c in columns] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in cells]
    lines.append(f"({len(rows)} row{'' if len(rows) == 1 else 's'})")
    return "\n".join(lines)


def _cell(value: Any, is_time: bool) -> str:
    if value is None:
        return ""
    if is_time and isinstance(value, (int, float)):
        return iso(value) or ""
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1e6 else f"{value:.0f}"
    if isinstance(value, list):
        return ", ".join(_cell(v, False) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, default=str)
    return str(value)


def _csv_cell(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return json.dumps(value, default=str)
    return "" if value is None else value
