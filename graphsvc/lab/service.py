"""What the routes and the CLI call: simulate a candidate against the active ruleset; calibrate one from outcomes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphsvc.errors import InvalidInput
from graphsvc.lab.simulate import LANE_TIMEOUT_S, Progress, Simulator
from graphsvc.qualification.registry import active_ruleset_for
from graphsvc.rules import AccountSnapshot, Ruleset, RulesetError, load_ruleset
from graphsvc.store.graph_store import GraphStore


def candidate(text: str, what: str = "the candidate ruleset") -> Ruleset:
    """A ruleset from TOML text, or a 422 listing every problem with its path."""
    try:
        return load_ruleset(text)
    except RulesetError as exc:
        raise InvalidInput(f"{what} is invalid; nothing was simulated", details=exc.errors) from exc


def simulate(store: GraphStore, text: str, *, as_of: float, now: float, max_moves: int = 1000,
             progress: Progress | None = None,
             on_move: Callable[[dict[str, Any]], None] | None = None) -> dict[str, Any]:
    """Every account under the candidate at `as_of` (never later than `now`), compared with the
    stage it has; nothing is written."""
    rs = candidate(text)
    sim = Simulator(store, active_ruleset_for(store), rs).run(min(as_of, now), now, max_moves=max_moves,
                                                             progress=progress, on_move=on_move)
    return sim.to_dict()


def calibrate(store: GraphStore, base: Ruleset, outcomes: dict[str, int], *, as_of: float, now: float,
              folds: int = 5, rounds: int = 100, seed: int = 0,
              progress: Callable[[str, int, int], None] | None = None) -> tuple[str, dict[str, Any]]:
    """Fit `base`'s points and bars to `outcomes` (account id -> 1 won / 0 lost) from the accounts'
    snapshots at `as_of` (read a page at a time through the analysts' lane; nothing written)."""
    from graphsvc.lab import calibrate as fitting
    from graphsvc.lab.features import row_of
    from graphsvc.qualification.service import PAGE, QualificationService

    q = QualificationService(store, base)
    ids = sorted(outcomes)
    snaps: list[AccountSnapshot] = []
    for start in range(0, len(ids), PAGE):
        with store.analysts.enter(LANE_TIMEOUT_S):
            snaps += q.snapshots(ids[start:start + PAGE], min(as_of, now), now)
        if progress:
            progress("accounts read", min(start + PAGE, len(ids)), len(ids))
    missing = sorted(set(ids) - {s.id for s in snaps})
    if missing:
        raise InvalidInput(f"{len(missing)} account(s) of the outcomes are not in the graph; nothing was calibrated",
                           details=[{"field": "account_id", "message": f"no account {m!r}"} for m in missing[:100]])
    rows = [row_of(s, outcomes[s.id], base) for s in snaps]
    return fitting.calibrate(rows, snaps, base, min(as_of, now), folds=folds, rounds=rounds, seed=seed,
                             progress=progress)
