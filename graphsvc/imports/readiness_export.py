"""The readiness export: one row per account with what readiness says of it, for a spreadsheet.

Every account (a page of the full pass's 500 at a time, in id order; over worker processes when
asked, graphsvc.qualification.parallel) is evaluated by the rules engine as readiness evaluates it
now (`QualificationService.snapshots` + `evaluate`; nothing is written): its stage (stored and as
the rules see it now), fit, engagement, MQA score, whether the MQA and SQL gates pass, and **every
check** of both gates as three columns, `mqa.<check>` (the value seen), `mqa.<check>.bar` (the
ruleset's threshold) and `mqa.<check>.pass` (true / false), then the missing roles and the next
action with why. A check's value that is a list is `;`-separated; a map is JSON.

The check columns are those of the first page's accounts (one ruleset gives every account the same
checks); a check only a later account has goes, as `name=value (bar) pass`, into `other_checks`, so
nothing is dropped and the header is known before the rows stream out.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import chain, islice
from typing import Any

from graphsvc.qualification.parallel import map_pages
from graphsvc.qualification.service import QualificationService
from graphsvc.rules import Qualification, Ruleset, evaluate
from graphsvc.store.graph_store import GraphStore

__all__ = ["BASE", "page_rows", "rows_and_header"]

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


def rows_and_header(store: GraphStore, ruleset: Ruleset, now: float,
                    processes: int = 1) -> tuple[list[str], Iterator[list[Any]]]:
    """The header and the rows (lazily, a page at a time) of the readiness export. With `processes`
    > 1 and three pages or more, the pages after the first are evaluated by that many worker
    processes (the full pass's pool: the export is Python-bound, ~1 ms of one core per account at
    100k), and written in id order as they come back."""
    service = QualificationService(store, ruleset)
    pages = service.page_ids()  # ids read a large page at a time, as a full pass reads them
    first = _evaluated(service, next(pages, []), now)
    names = list(dict.fromkeys(name for _, q in first for name, _ in _checks(q)))
    header = [*BASE, *(f"{n}{suffix}" for n in names for suffix in ("", ".bar", ".pass")), *TAIL]

    def rows() -> Iterator[list[Any]]:
        yield from (_row(a, q, names) for a, q in first)
        ahead = list(islice(pages, 2))
        rest = chain(ahead, pages)
        if processes > 1 and len(ahead) == 2:  # fewer: starting processes (~1 s each) costs more than it saves
            for _, rows_of_page, _rss in map_pages(service, page_rows, rest, (now, names), processes,
                                                    what="readiness export"):
                yield from rows_of_page
            return
        for ids in rest:
            yield from page_rows(service, ids, now, names)

    return header, rows()


def page_rows(service: QualificationService, ids: list[str], now: float, names: list[str]) -> list[list[Any]]:
    """The export's rows of the accounts `ids` (a worker process's task: module-level, by name)."""
    return [_row(a, q, names) for a, q in _evaluated(service, ids, now)]


def _evaluated(service: QualificationService, ids: list[str], now: float) -> list[tuple[dict[str, Any], Qualification]]:
    if not ids:
        return []
    page = service.store.read("imports/export_accounts", ids=ids)
    snaps = {s.id: s for s in service.snapshots(ids, now, now)}
    return [(r, evaluate(snaps[r["id"]], service.ruleset, now)) for r in page if r["id"] in snaps]


def _row(account: dict[str, Any], q: Qualification, names: list[str]) -> list[Any]:
    checks = dict(_checks(q))
    other = [f"{n}={_cell(c.value)} ({_cell(c.threshold)}) {'pass' if c.passed else 'fail'}"
             for n, c in checks.items() if n not in names]
    cells = [account["id"], account.get("name"), account.get("owner"), account.get("stage") or "target", q.stage,
             q.scores.fit, q.scores.engagement, q.scores.mqa_score, q.mqa.passed, q.sql.passed]
    for n in names:
        c = checks.get(n)
        cells += [None, None, None] if c is None else [_cell(c.value), _cell(c.threshold), c.passed]
    return [*cells, ";".join(q.buying_center.missing), q.next_action.action, q.next_action.why, " | ".join(other)]
