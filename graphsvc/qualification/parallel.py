"""A full requalification spread over worker processes (issue 10).

A full pass is Python-bound: reading a page's snapshots, decoding them, evaluating each account
and building the outcome write cost ~1.3 ms of one core per account, the engine ~0.15 ms
(docs/benchmarks.md, "Scale"). One process therefore uses one core whatever the machine has. Here
the parent pages the account ids (a cheap index read) and hands each page to a pool of processes;
each worker opens its own connections to the same database (`Executor.twin`) and requalifies its
page exactly as `QualificationService.requalify` does (snapshot read, pure engine, one outcome
write). Pages are disjoint and each outcome write is one transaction, so the result is the one a
single process gives. A page the engine could not take is sent again by its worker for up to
`retry_for_s` (an embedded FalkorDB that crashed is back within its watchdog's restart); a page that
still fails fails the pass (its error is raised here), leaving the pages already written written:
outcomes are idempotent, and the accounts not reached keep their `requalify_pending` marks or their
old outcome until the next pass.

Memory stays bounded: at most `2 * processes` pages are in flight, and only the first
`keep_changes` stage changes are kept (all are counted); the answer's `worker_peak_rss_mib` is the
largest worker's peak resident memory.

`map_pages` is the pool itself, for any work by pages of accounts a worker's QualificationService
can do (the readiness export evaluates its pages there: graphsvc.imports.readiness_export).
"""

from __future__ import annotations

import logging
import multiprocessing
import resource
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import Any

from graphsvc.errors import GraphsvcError
from graphsvc.gc_tuning import tune_collector
from graphsvc.qualification.service import KEEP_CHANGES, QualificationService
from graphsvc.rules import Ruleset
from graphsvc.store.executor import Executor
from graphsvc.store.graph_store import GraphStore
from graphsvc.store.resend import resend

__all__ = ["POOL_FROM_PAGES", "map_pages", "requalify_all", "requalify_pending"]

log = logging.getLogger("graphsvc.requalify")  # the name service.py logs a full pass under

Progress = Callable[[int, int], None]  # accounts done, changed so far
Task = Callable[..., Any]  # task(a worker's QualificationService, a page of account ids, *args)

POOL_FROM_PAGES = 4  # pending pages (of PAGE accounts) from which the drain starts processes (~1 s each)
_recipe: tuple[Callable[[], Executor], Ruleset] | None = None  # set in each worker process by _start
_worker: QualificationService | None = None  # opened by the worker's first page


def _start(recipe: Callable[[], Executor], ruleset: Ruleset) -> None:
    global _recipe
    _recipe = (recipe, ruleset)
    tune_collector()  # after the imports and the ruleset: frozen with them (gc_tuning)


def _worker_service() -> QualificationService:
    # Opened at a worker's first page, not in the initializer: an error opening the engine (a 503)
    # then travels back to the caller as itself, or is tried again; a failing initializer only
    # breaks the pool.
    global _worker
    if _worker is None:
        assert _recipe is not None, "worker process not started"
        _worker = QualificationService(GraphStore(_recipe[0]()), _recipe[1])
    return _worker


def _requalify(service: QualificationService, ids: list[str], now: float) -> list[dict[str, Any]]:
    return service.requalify(ids, now)


def _in_worker(task: Task, ids: list[str], args: tuple[Any, ...], retry_for_s: float, what: str) -> tuple[Any, float]:
    """`task(service, ids, *args)` in a worker, sent again for up to `retry_for_s`; with the
    worker's peak RSS (MiB)."""
    result = resend(lambda: task(_worker_service(), ids, *args), retry_for_s,
                    f"{what} of the page from account {ids[0]!r}", log)
    return result, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB -> MiB


def requalify_all(
    service: QualificationService, now: float, *, processes: int = 1, progress: Progress | None = None,
    keep_changes: int = KEEP_CHANGES, retry_for_s: float = 0.0, rebuild_progress: Progress | None = None,
) -> dict[str, Any]:
    """`service.requalify_all`'s answer, computed by `processes` worker processes (spawned: no
    engine connection or lock of this process is inherited); in this process when `processes` is 1
    or every account fits in one page. A page (or a read of the ids) the engine could not take is
    sent again for up to `retry_for_s`, by the process that has it; `rebuild_progress` is the
    engagement rebuild's, when one comes first (see service.requalify_all)."""
    if processes <= 1:
        return service.requalify_all(now, progress, keep_changes, retry_for_s, rebuild_progress)
    pages = service.page_ids(retry_for_s)
    first = list(islice(pages, 2))
    if len(first) < 2:  # one page: starting processes (~1 s each) would cost more than it saves
        return service.requalify_all(now, progress, keep_changes, retry_for_s, rebuild_progress)
    service.ensure_engagement(rebuild_progress, retry_for_s=retry_for_s)
    return _over_processes(service, chain(first, pages), now, processes, progress, keep_changes, retry_for_s)


def requalify_pending(service: QualificationService, now: float, *, processes: int = 1,
                      retry_for_s: float = 0.0) -> dict[str, Any]:
    """`service.requalify_pending`'s answer, by `processes` worker processes (keeping the first
    KEEP_CHANGES changes, counting all) when at least POOL_FROM_PAGES pages of accounts are marked: a
    bulk load with requalify=later can mark every account, and 100,000 took ~105 s in one process.
    In this process otherwise: the drain runs every few seconds, mostly over a few accounts."""
    pages = service.pending_pages()
    first = list(islice(pages, POOL_FROM_PAGES))
    if processes <= 1 or len(first) < POOL_FROM_PAGES:
        return service.requalify_pending(now, chain(first, pages))
    return _over_processes(service, chain(first, pages), now, processes, None, KEEP_CHANGES, retry_for_s)


def _over_processes(service: QualificationService, pages: Iterator[list[str]], now: float, processes: int,
                    progress: Progress | None, keep_changes: int, retry_for_s: float) -> dict[str, Any]:
    """Requalify `pages` (disjoint) over a pool of `processes` spawned workers."""
    tally = _Tally(keep_changes, progress)
    for ids, changes, rss in map_pages(service, _requalify, pages, (now,), processes, retry_for_s, "requalification"):
        tally.add(len(ids), changes, rss)
    return {"accounts": tally.done, "changed": tally.changed, "changes": tally.changes,
            "worker_peak_rss_mib": tally.peak_rss_mib}


def map_pages(service: QualificationService, task: Task, pages: Iterable[list[str]], args: tuple[Any, ...],
              processes: int, retry_for_s: float = 0.0, what: str = "work") -> Iterator[tuple[list[str], Any, float]]:
    """(page, `task(worker's service, page, *args)`, the worker's peak RSS in MiB) for each of
    `pages`, in their order, computed by a pool of `processes` spawned workers, each with its own
    connections to `service`'s database and its ruleset. `task` must be a module-level function
    (the workers import it by name). At most two pages per process are in flight, so memory stays
    bounded however many pages there are; closing the iterator early (or an error) cancels the pages
    not yet running and waits for those running (at most about `processes + 1`)."""
    in_flight: deque[tuple[list[str], Future[tuple[Any, float]]]] = deque()
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=processes, mp_context=context, initializer=_start,
                             initargs=(service.store.executor.twin(), service.ruleset)) as pool:
        try:
            for page in pages:
                in_flight.append((page, pool.submit(_in_worker, task, page, args, retry_for_s, what)))
                while len(in_flight) >= 2 * processes:
                    done, future = in_flight.popleft()
                    yield (done, *future.result())
            while in_flight:
                done, future = in_flight.popleft()
                yield (done, *future.result())
        except BrokenProcessPool as exc:
            raise GraphsvcError(f"a worker process of the {what} died ({exc}): run it again (what its pages "
                                "wrote so far stays written)") from exc
        except BaseException:
            for _, f in in_flight:
                f.cancel()
            raise


@dataclass
class _Tally:
    """What the finished pages add up to, in the order they were handed out."""

    keep: int
    progress: Progress | None
    done: int = 0
    changed: int = 0
    peak_rss_mib: float = 0.0
    changes: list[dict[str, Any]] = field(default_factory=list)

    def add(self, n: int, recorded: list[dict[str, Any]], rss: float) -> None:
        self.changes.extend(recorded[:max(0, self.keep - len(self.changes))])
        self.done, self.changed = self.done + n, self.changed + len(recorded)
        self.peak_rss_mib = max(self.peak_rss_mib, rss)
        if self.progress:
            self.progress(self.done, self.changed)
