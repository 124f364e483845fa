"""One-time data backfills run when the store opens (after the schema): idempotent, batched, with
progress in the log. Today one: Account.stage_since for accounts that have none (issue 10: the board
by time in stage reads through the range index on it, which holds no missing value)."""

from __future__ import annotations

import logging
import time

from graphsvc.store.graph_store import GraphStore

__all__ = ["backfill_stage_since"]

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
