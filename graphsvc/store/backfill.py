"""One-time data backfills run when the store opens (after the schema): idempotent, batched, with
progress in the log. Account.stage_since for accounts that have none, then the board's sort keys
(issue 10: the board by fit, time in stage and name reads through indexes on them, which hold no
missing value): a creation number for accounts without one, in id order, and the keys of every
account that lacks one (graphsvc/store/sort_keys.py)."""

from __future__ import annotations

import logging
import time

from graphsvc.store.graph_store import GraphStore
from graphsvc.store.sort_keys import name_key

__all__ = ["backfill_sort_keys", "backfill_stage_since"]

log = logging.getLogger("graphsvc.store")


def backfill_stage_since(store: GraphStore, *, batch: int = 5_000, every_s: float = 2.0) -> tuple[int, int]:
    """Give every account without stage_since its derived one (`qualification/backfill_stage_since`:
    the newest StageChange into its current stage, else its created_at while still in `target`), in
    batches of `batch` accounts in id order; a log line every `every_s` seconds and one at the end.
    Returns (accounts without stage_since seen, of which derived). Accounts it cannot derive keep
    none; a second run changes nothing. Costs one label scan when every account has stage_since."""
    started = last_note = time.monotonic()
    after, seen, derived = "", 0, 0
    while True:
        row = store.write("qualification/backfill_stage_since", after=after, batch=batch)[0]
        if row["seen"] and not seen:
            log.info("stage_since backfill: accounts without stage_since found; deriving it, %s at a time", f"{batch:,}")
        seen += int(row["seen"])
        derived += int(row["derived"])
        if not row["seen"] or row["last"] is None or row["last"] == after:
            break
        after = row["last"]
        if time.monotonic() - last_note >= every_s:
            last_note = time.monotonic()
            log.info("stage_since backfill: %s accounts without it so far, %s derived (%.0f s)", f"{seen:,}",
                     f"{derived:,}", last_note - started)
        if int(row["seen"]) < batch:
            break
    if seen:
        log.info("stage_since backfill: done, %s accounts had none, %s derived from their stage history or "
                 "creation, %s left without (no record of entering their stage) in %.1f s", f"{seen:,}",
                 f"{derived:,}", f"{seen - derived:,}", time.monotonic() - started)
    return seen, derived


def backfill_sort_keys(store: GraphStore, *, batch: int = 5_000, every_s: float = 2.0) -> tuple[int, int]:
    """Number the accounts that have no creation number (`qualification/number_accounts`, in id order,
    so their ties keep the order by id they had) and write the sort keys of every account lacking one
    (`qualification/sort_keys_lacking`, then `sort_keys_set` with the name keys made here), `batch` at
    a time; a log line every `every_s` seconds and one at the end. Returns (accounts numbered,
    accounts keyed). A second run changes nothing; on a graph with every key it costs two label scans and
    taking the counter's lock (number_accounts takes it before it reads)."""
    started = last_note = time.monotonic()
    numbered = keyed = 0
    while True:
        row = store.write("qualification/number_accounts", batch=batch)[0]
        numbered += int(row["numbered"])
        if int(row["numbered"]) < batch:
            break
        if time.monotonic() - last_note >= every_s:
            last_note = time.monotonic()
            log.info("sort keys: %s accounts numbered so far (%.0f s)", f"{numbered:,}", last_note - started)
    after = ""
    while True:
        rows = store.read("qualification/sort_keys_lacking", after=after, batch=batch)
        if not rows:
            break
        store.write("qualification/sort_keys_set", rows=[{"id": r["id"], "name_key": name_key(r["name"])} for r in rows])
        keyed += len(rows)
        after = rows[-1]["after"]
        if time.monotonic() - last_note >= every_s:
            last_note = time.monotonic()
            log.info("sort keys: %s accounts keyed so far (%.0f s)", f"{keyed:,}", last_note - started)
        if len(rows) < batch:
            break
    if numbered or keyed:
        log.info("sort keys: done, %s accounts numbered and %s keyed in %.1f s", f"{numbered:,}", f"{keyed:,}",
                 time.monotonic() - started)
    return numbered, keyed
