"""What the routes and the CLI call: simulate a candidate against the active ruleset, backtest rulesets,
calibrate one from outcomes."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from graphsvc.errors import InvalidInput
from graphsvc.lab import predict
from graphsvc.lab.backtest import Outcome
from graphsvc.lab.predict import ScoreModel
from graphsvc.lab.simulate import LANE_TIMEOUT_S, Progress, Simulator
from graphsvc.qualification.registry import active_ruleset_for
from graphsvc.rules import AccountSnapshot, Ruleset, RulesetError, default_ruleset, load_ruleset
from graphsvc.store.graph_store import GraphStore
from graphsvc.store.per_store import PerStore

MAX_STEPS = 400  # replay moments per backtest: a year in days is 366


def candidate(text: str, what: str = "the candidate ruleset") -> Ruleset:
    """A ruleset from TOML text, or a 422 listing every problem with its path."""
    try:
        return load_ruleset(text)
    except RulesetError as exc:
        raise InvalidInput(f"{what} is invalid; nothing was done", details=exc.errors) from exc


def resolve(store: GraphStore, text: str, what: str) -> Ruleset:
    """`active` (the store's active ruleset), `default` (the built-in one) or a ruleset's TOML text."""
    if text.strip() == "active":
        return active_ruleset_for(store)
    if text.strip() == "default":
        return default_ruleset()
    return candidate(text, what)


def simulate(store: GraphStore, text: str, *, as_of: float, now: float, max_moves: int = 1000,
             progress: Progress | None = None,
             on_move: Callable[[dict[str, Any]], object] | None = None) -> dict[str, Any]:
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

    snaps = read_snapshots(store, base, sorted(outcomes), as_of=as_of, now=now, progress=progress)
    rows = [row_of(s, outcomes[s.id], base) for s in snaps]
    return fitting.calibrate(rows, snaps, base, min(as_of, now), folds=folds, rounds=rounds, seed=seed,
                             progress=progress)


def backtest(store: GraphStore, rulesets: list[Ruleset], found: dict[str, Outcome], *, start: float, end: float,
             step_s: float, horizon_s: float, now: float,
             progress: Callable[[int, int], None] | None = None) -> list[dict[str, Any]]:
    """Replay each ruleset over the recorded history from `start` to `end` every `step_s` and score
    it against `found` (see graphsvc/lab/backtest.py); nothing written."""
    from graphsvc.lab import backtest as bt
    from graphsvc.lab.simulate import account_pages
    from graphsvc.qualification.service import QualificationService

    check_period(start=start, end=end, step_s=step_s, horizon_s=horizon_s, now=now)

    def pages_at(rs: Ruleset, at: float) -> Iterator[list[AccountSnapshot]]:
        q = QualificationService(store, rs)
        for _, snaps in account_pages(store, lambda ids: q.snapshots(ids, at, now)):
            yield snaps

    return bt.run(rulesets, pages_at, found, start=start, end=end, step_s=step_s, horizon_s=horizon_s,
                  progress=progress)


def check_period(*, start: float, end: float, step_s: float, horizon_s: float, now: float) -> None:
    """A backtest's period, or a 422 naming each bad field."""
    problems = []
    if start >= end:
        problems.append({"field": "from", "message": "must be before `to`"})
    if end > now:
        problems.append({"field": "to", "message": "is in the future: there is no history to replay"})
    if step_s <= 0 or (end - start) / max(step_s, 1e-9) > MAX_STEPS:
        problems.append({"field": "step", "message": f"must be positive and give at most {MAX_STEPS} steps"})
    if horizon_s <= 0:
        problems.append({"field": "horizon", "message": "must be positive"})
    if problems:
        raise InvalidInput("the backtest period is invalid; nothing was replayed", details=problems)


def read_snapshots(store: GraphStore, rs: Ruleset, ids: list[str], *, as_of: float, now: float,
                   progress: Callable[[str, int, int], None] | None = None) -> list[AccountSnapshot]:
    """The accounts' snapshots at `as_of` (decayed at `rs`'s half-life), a page at a time through the
    analysts' lane; a 422 naming the ids that are not in the graph."""
    from graphsvc.qualification.service import PAGE, QualificationService

    q = QualificationService(store, rs)
    snaps: list[AccountSnapshot] = []
    for start in range(0, len(ids), PAGE):
        with store.analysts.enter(LANE_TIMEOUT_S):
            snaps += q.snapshots(ids[start:start + PAGE], min(as_of, now), now)
        if progress:
            progress("accounts read", min(start + PAGE, len(ids)), len(ids))
    missing = sorted(set(ids) - {s.id for s in snaps})
    if missing:
        raise InvalidInput(f"{len(missing)} account(s) of the outcomes are not in the graph; nothing was done",
                           details=[{"field": "account_id", "message": f"no account {m!r}"} for m in missing[:100]])
    return snaps


def fit_score(store: GraphStore, rs: Ruleset, outcomes: Mapping[str, int] | Mapping[str, Outcome], *, now: float,
              min_outcomes: int, horizon_s: float | None = None, step_s: float = 30 * 86400.0,
              progress: Callable[[str, int, int], None] | None = None) -> ScoreModel:
    """Fit the predictive score and keep it in the graph. Dated outcomes (`Outcome`) and a horizon:
    on (account, as_of) pairs over the history labelled "won within the horizon" (horizon.py);
    undated ones (account -> 1/0): on the won and lost accounts, engagement now. With too few
    outcomes the kept model is a cold-start record (see predict.py)."""
    from graphsvc.lab import horizon
    from graphsvc.lab.features import row_of

    dated = {a: o for a, o in outcomes.items() if isinstance(o, Outcome)}
    if horizon_s is not None and dated and len(dated) == len(outcomes):
        read_snapshots(store, rs, sorted(dated), as_of=now, now=now)  # a 422 for ids not in the graph
        rows = horizon.examples(store, rs, dated, now=now, horizon_s=horizon_s, step_s=step_s, progress=progress)
        won = sum(o.won for o in dated.values())
        model = predict.fit(rows, fitted_at=now, min_outcomes=min_outcomes, outcomes=(len(dated), won),
                            horizon_days=round(horizon_s / 86400.0, 3))
    else:
        flat = {a: int(o.won) if isinstance(o, Outcome) else int(o) for a, o in outcomes.items()}
        snaps = read_snapshots(store, rs, sorted(flat), as_of=now, now=now, progress=progress)
        model = predict.fit([row_of(s, flat[s.id], rs) for s in snaps], fitted_at=now, min_outcomes=min_outcomes)
    store.write("lab/score_model_set", json=model.to_json(), fitted_at=now, outcomes=model.outcomes)
    _models.put(store, model)
    return model


# The fitted model, per store, re-read at most once a second (like the active ruleset's version,
# qualification/registry.py): every readiness answer needs it, and reading and parsing it per request
# was one of a readiness answer's five engine round trips (docs/benchmarks.md, "Scale"). A fit in
# this process is seen at once; one in another worker or replica within MODEL_TTL_S.
MODEL_TTL_S = 1.0
_models: PerStore[ScoreModel | None] = PerStore(MODEL_TTL_S)


def _read_model(store: GraphStore) -> ScoreModel | None:
    row = store.read_one("lab/score_model")
    return ScoreModel.from_json(row["json"]) if row else None


def score_model(store: GraphStore) -> ScoreModel | None:
    return _models.get(store, _read_model)


def prediction(store: GraphStore, snap: AccountSnapshot, rs: Ruleset) -> dict[str, Any]:
    """The account's predictive score with its top factors, or the cold-start message."""
    return predict.predict(score_model(store), snap, rs)


def board_predictions(store: GraphStore, rs: Ruleset, ids: list[str], now: float
                      ) -> tuple[dict[str, dict[str, Any]], str | None]:
    """Each board account's probability and top factor (one snapshot read for the page), or no
    predictions and the cold-start message."""
    from graphsvc.qualification.service import QualificationService

    model = score_model(store)
    if model is None or not model.ready or not ids:
        return {}, predict.predict(model, AccountSnapshot(id=""), rs)["message"] if ids else None
    out = {}
    for snap in QualificationService(store, rs).snapshots(ids, now):
        p = predict.predict(model, snap, rs)
        out[snap.id] = {"probability": p["probability"], "top_factor": p["factors"][0]["text"] if p["factors"] else None}
    return out, None
