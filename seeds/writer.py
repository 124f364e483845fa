"""Write a dataset as five JSONL files (accounts, contacts, leads, activities, opportunities), optionally with
several worker processes. The bytes do not depend on the number of workers."""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable
from itertools import islice
from pathlib import Path

from .generator import KINDS, Dataset
from .progress import LOG_INTERVAL_S
from .progress import Progress as BaseProgress

CHUNK = 100  # accounts (or leads) per unit of work

_DS: Dataset | None = None  # the dataset, in worker processes


def dumps(row: dict) -> str:
    return json.dumps(row, ensure_ascii=False, separators=(",", ":"))


def _render_accounts(ds: Dataset, start: int, stop: int) -> tuple[str, str, str, int, int, str, int]:
    acc, con, act, opp = [], [], [], []
    for b in ds.bundles(start, stop):
        acc.append(dumps(b.account) + "\n")
        con.extend(dumps(c) + "\n" for c in b.contacts)
        act.extend(dumps(a) + "\n" for a in b.activities)
        opp.extend(dumps(o) + "\n" for o in b.opportunities)
    return "".join(acc), "".join(con), "".join(act), len(con), len(act), "".join(opp), len(opp)


def _render_leads(ds: Dataset, start: int, stop: int) -> str:
    return "".join(dumps(r) + "\n" for r in ds.lead_range(start, stop))


def _init(ds: Dataset) -> None:
    global _DS
    _DS = ds


def _job(task: tuple[str, int, int]):
    kind, start, stop = task
    assert _DS is not None
    return _render_accounts(_DS, start, stop) if kind == "accounts" else _render_leads(_DS, start, stop)


def _bounded_imap(pool, tasks, ahead: int):
    """`pool.imap(_job, tasks)` with at most `ahead` chunks in flight: Pool.imap queues every task
    at once and keeps every finished result until it is consumed, so workers faster than the file
    writes would hold the whole dataset in memory. Results come in task order."""
    it = iter(tasks)
    pending = deque(pool.apply_async(_job, (t,)) for t in islice(it, ahead))
    while pending:
        result = pending.popleft().get()
        nxt = next(it, None)
        if nxt is not None:
            pending.append(pool.apply_async(_job, (nxt,)))
        yield result


class Progress:
    """Seed-writing progress on stderr: a bar on a terminal, a line every few seconds otherwise
    (seeds.progress), counting accounts with contacts, activities and leads alongside."""

    def __init__(self, total: int, stream=None, enabled: bool = True, interval: float = LOG_INTERVAL_S) -> None:
        self.bar = BaseProgress("seeds: accounts", total, unit="accounts", stream=stream, enabled=enabled,
                                interval=interval)
        self.t0 = self.bar.t0

    def update(self, done: int, contacts: int, activities: int, force: bool = False,
               leads: tuple[int, int] | None = None) -> None:
        extra: dict[str, int | str] = {"contacts": contacts, "activities": activities}
        if leads:
            extra["leads"] = f"{leads[0]:,}/{leads[1]:,}"
        self.bar.update(done, force=force, **extra)

    def done(self, message: str) -> None:
        self.bar.close(message)


def write_dataset(ds: Dataset, out: str | os.PathLike, *, jobs: int = 1, progress: bool = True,
                  stream=None) -> dict[str, int]:
    """Write accounts.jsonl, contacts.jsonl, leads.jsonl and activities.jsonl under `out`;
    return the row counts. Files are written to *.tmp and renamed when complete."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = {k: out / f"{k}.jsonl" for k in KINDS}
    tmp = {k: p.with_suffix(".jsonl.tmp") for k, p in paths.items()}
    files = {k: open(tmp[k], "w", encoding="utf-8", newline="\n") for k in KINDS}
    counts = dict.fromkeys(KINDS, 0)
    bar = Progress(ds.n_accounts, stream, progress)
    tasks = [("accounts", s, min(s + CHUNK, ds.n_accounts)) for s in range(0, ds.n_accounts, CHUNK)]
    n_leads = ds.n_leads
    lead_tasks = [("leads", s, min(s + CHUNK * 10, n_leads)) for s in range(0, n_leads, CHUNK * 10)]
    try:
        results: Callable
        pool = None
        if jobs > 1 and len(tasks) > 1:
            pool = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods()
                                               else "spawn").Pool(jobs, _init, (ds,))
            results = lambda ts: _bounded_imap(pool, ts, ahead=2 * jobs)  # noqa: E731
        else:
            _init(ds)
            results = lambda ts: map(_job, ts)  # noqa: E731
        try:
            for (_, start, stop), (acc, con, act, n_con, n_act, opp, n_opp) in zip(tasks, results(tasks)):
                files["accounts"].write(acc)
                files["contacts"].write(con)
                files["activities"].write(act)
                files["opportunities"].write(opp)
                counts["opportunities"] += n_opp
                counts["accounts"] += stop - start
                counts["contacts"] += n_con
                counts["activities"] += n_act
                bar.update(stop, counts["contacts"], counts["activities"])
            for (_, start, stop), text in zip(lead_tasks, results(lead_tasks)):
                files["leads"].write(text)
                counts["leads"] += stop - start
                bar.update(ds.n_accounts, counts["contacts"], counts["activities"], leads=(counts["leads"], n_leads))
        finally:
            if pool is not None:
                pool.close()
                pool.join()
    except BaseException:
        for f in files.values():
            f.close()
        for p in tmp.values():
            p.unlink(missing_ok=True)
        raise
    for f in files.values():
        f.close()
    for k in KINDS:
        os.replace(tmp[k], paths[k])
    bar.done(f"seeds: wrote {counts['accounts']:,} accounts, {counts['contacts']:,} contacts, "
             f"{counts['leads']:,} leads, {counts['activities']:,} activities, "
             f"{counts['opportunities']:,} opportunities to {out} "
             f"in {time.monotonic() - bar.t0:.1f}s")
    return counts
