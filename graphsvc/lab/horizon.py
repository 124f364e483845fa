"""Training examples for "won within the horizon": (account, as_of) pairs over the recorded history.

At every sample time `as_of` (every `step` from the horizon before the first outcome up to the
horizon before now, so every label is observed) each account still undecided at `as_of` is one
example, its columns (`features.row_of`) read from its history at `as_of` (activities as they
happened), labelled 1 when it was won within the horizon after `as_of`, else 0. An account whose
outcome (won or lost) came at or before `as_of` is left out at that time: it is no longer a
prospect. Accounts without an outcome are negatives at every time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from graphsvc.lab.backtest import Outcome, steps
from graphsvc.lab.features import Row, row_of
from graphsvc.rules import Ruleset
from graphsvc.store.graph_store import GraphStore

MAX_SAMPLES = 120  # sample times per fit (the newest are kept)


def label(outcome: Outcome | None, as_of: float, horizon_s: float) -> int | None:
    """1 won within the horizon after `as_of`, 0 not, None already decided at `as_of`."""
    if outcome is None:
        return 0
    if outcome.at <= as_of:
        return None
    return int(outcome.won and outcome.at <= as_of + horizon_s)


def sample_times(outcomes: Mapping[str, Outcome], *, now: float, horizon_s: float, step_s: float) -> list[float]:
    """The as_of times: every `step_s` from the horizon before the first outcome to the horizon
    before `now` (at most MAX_SAMPLES, the newest); none without outcomes."""
    if not outcomes or step_s <= 0:
        return []
    first = min(o.at for o in outcomes.values()) - horizon_s
    last = now - horizon_s
    if last < first:
        return []
    return steps(last - ((last - first) // step_s) * step_s, last, step_s)[-MAX_SAMPLES:]


def examples(store: GraphStore, rs: Ruleset, outcomes: Mapping[str, Outcome], *, now: float, horizon_s: float,
             step_s: float, progress: Callable[[str, int, int], None] | None = None) -> list[Row]:
    """Every (account, as_of) example (see the module docstring), read a page of accounts at a time
    through the analysts' lane; nothing is written."""
    from graphsvc.lab.simulate import account_pages
    from graphsvc.qualification.service import QualificationService

    q = QualificationService(store, rs)
    times = sample_times(outcomes, now=now, horizon_s=horizon_s, step_s=step_s)
    rows: list[Row] = []
    for k, t in enumerate(times):
        for _, snaps in account_pages(store, lambda ids, t=t: q.snapshots(ids, t, now)):
            for snap in snaps:
                y = label(outcomes.get(snap.id), t, horizon_s)
                if y is not None:
                    rows.append(row_of(snap, y, rs))
        if progress:
            progress("history samples", k + 1, len(times))
    return rows


__all__ = ["MAX_SAMPLES", "examples", "label", "sample_times"]
