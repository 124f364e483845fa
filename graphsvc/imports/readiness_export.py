"""The readiness export: one row per account with what readiness says of it, for a spreadsheet.

Every account (a page of the full pass's 500 at a time, in id order) is evaluated by the rules
engine as readiness evaluates it now (`QualificationService.snapshots` + `evaluate`; nothing is
written): its stage (stored and as the rules see it now), fit, engagement, MQA score, whether the
MQA and SQL gates pass, and **every check** of both gates as three columns, `mqa.<check>` (the value seen),
`mqa.<check>.bar` (the ruleset's threshold) and `mqa.<check>.pass` (true / false), then the missing
roles and the next action with why. A check's value that is a list is `;`-separated; a map is JSON.

The check columns are those of the first page's accounts (one ruleset gives every account the same
checks); a check only a later account has goes, as `name=value (bar) pass`, into `other_checks`, so
nothing is dropped and the header is known before the rows stream out.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from graphsvc.qualification.service import QualificationService
from graphsvc.rules import Qualification, Ruleset, evaluate
from graphsvc.store.graph_store import GraphStore

__all__ = ["BASE", "rows_and_header"]

BASE = ("id", "name", "owner", "stored_stage", "stage", "fit", "engagement", "mqa_score", "mqa", "sql")
TAIL = ("missing_roles", "next_action", "next_action_why", "other_checks")


def _cell(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, default=str)
    return value


def _checks(q: Qualification) -> list[tuple[str, Any]]:
    return [(f"{gate}.{c.name}", c) for gate, g in (("mqa", q.mqa), ("sql", q.sql)) for c in g.checks]


def rows_and_header(store: GraphStore, ruleset: Ruleset, now: float) -> tuple[list[str], Iterator[list[Any]]]:
    """The header and the rows (lazily, a page at a time) of the readiness export."""
    service = QualificationService(store, ruleset)

    def pages() -> Iterator[list[tuple[dict[str, Any], Qualification]]]:
        for ids in service.page_ids():  # ids read a large page at a time, as a full pass reads them
            page = store.read("imports/export_accounts", ids=ids)
            snaps = {s.id: s for s in service.snapshots(ids, now, now)}
            yield [(r, evaluate(snaps[r["id"]], ruleset, now)) for r in page if r["id"] in snaps]

    stream = pages()
    first = next(stream, [])
    names = list(dict.fromkeys(name for _, q in first for name, _ in _checks(q)))
    header = [*BASE, *(f"{n}{suffix}" for n in names for suffix in ("", ".bar", ".pass")), *TAIL]

    def row(account: dict[str, Any], q: Qualification) -> list[Any]:
        checks = dict(_checks(q))
        other = [f"{n}={_cell(c.value)} ({_cell(c.threshold)}) {'pass' if c.passed else 'fail'}"
                 for n, c in checks.items() if n not in names]
        cells = [account["id"], account.get("name"), account.get("owner"), account.get("stage") or "target", q.stage,
                 q.scores.fit, q.scores.engagement, q.scores.mqa_score, q.mqa.passed, q.sql.passed]
        for n in names:
            c = checks.get(n)
            cells += [None, None, None] if c is None else [_cell(c.value), _cell(c.threshold), c.passed]
        return [*cells, ";".join(q.buying_center.missing), q.next_action.action, q.next_action.why, " | ".join(other)]

    def rows() -> Iterator[list[Any]]:
        yield from (row(a, q) for a, q in first)
        for page in stream:
            yield from (row(a, q) for a, q in page)

    return header, rows()
