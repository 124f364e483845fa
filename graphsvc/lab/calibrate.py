"""Calibrate a ruleset's points and bars from outcomes: a regularised logistic regression whose
coefficients are the ruleset's own numbers.

Why this model: a ruleset scores `sum(points[type] * decayed count)` plus contact fit
(`seniority points + department points`). Fitted on the columns of `features.py`, a logistic
regression's coefficients are points up to one scale: we use `SCALE` = 10 / ln 2 points per unit of
log-odds, so **10 points double the odds of winning**, and the candidate stays a ruleset people can
read and argue about. Signs must make sense: an activity type the base ruleset gives positive points
may not come out negative (nor a negative one positive); a type that does is dropped (0 points, said
in the report) and the model refitted, until every sign agrees (types the base does not know are
free). Fit levels are shifted so the lowest is 0 (fit is clamped to 0..100 by the engine; a constant
changes no ranking). Each number gets a bootstrap interval (percentiles of refits on resampled rows).

The bars: the MQL pair (engagement, fit) maximising Youden's J (true minus false positive rate) of
"both pass", and the MQA score bar maximising J on account engagement; each with its interval.

The report compares, under the same stratified folds: the base ruleset, the candidate (fitted on
the training folds only, written as a ruleset and scored **by the rules engine** on the test fold),
and the unconstrained model (same columns, log counts, any sign, no rounding): cross-validated AUC and
top-decile lift. A ruleset's score of an account is its engagement plus its contacts' mean fit.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score, roc_curve
from sklearn.model_selection import StratifiedKFold

from graphsvc.errors import InvalidInput
from graphsvc.lab.candidate import build_candidate, candidate_data, to_toml
from graphsvc.lab.features import Design, Row, outcomes_of
from graphsvc.rules import AccountSnapshot, Ruleset, evaluate, load_ruleset

SCALE = 10.0 / math.log(2.0)  # points per unit of log-odds: 10 points double the odds
MIN_OUTCOMES = 20  # fewer won (or lost) accounts than this: nothing to calibrate on


@dataclass
class Fit:
    design: Design
    intercept: float
    coef: np.ndarray  # log-odds per column of the design
    dropped: tuple[str, ...]  # activity types fixed at 0 because their sign contradicted the base
    # The seniority and department levels given 0 fit points (None: the lowest of this fit). A
    # bootstrap refit is shifted by the full fit's levels, so its intervals are of the same numbers.
    refs: tuple[str | None, str | None] = (None, None)


def prior_signs(design: Design, base: Ruleset) -> np.ndarray:
    """+1 / -1 per activity column whose base points are positive / negative; 0 = free."""
    signs = np.zeros(design.width)
    for i, t in enumerate(design.types):
        signs[i] = np.sign(base.activities.points.get(t, 0.0))
    return signs


def fit_constrained(x: np.ndarray, y: np.ndarray, design: Design, base: Ruleset, *, c: float,
                    dropped: Sequence[str] | None = None) -> Fit:
    """The sign-constrained fit; with `dropped` given, exactly those types are fixed at 0 (bootstrap)."""
    signs = prior_signs(design, base)
    free = np.ones(design.width, dtype=bool)
    index = {t: i for i, t in enumerate(design.types)}
    for t in dropped or ():
        free[index[t]] = False
    while True:
        model = LogisticRegression(C=c, max_iter=5000).fit(x[:, free], y)
        coef = np.zeros(design.width)
        coef[free] = model.coef_[0]
        wrong = [(abs(coef[i]), i) for i in range(len(design.types)) if free[i] and coef[i] * signs[i] < 0]
        if dropped is not None or not wrong:
            names = tuple(t for t in design.types if not free[index[t]])
            return Fit(design, float(model.intercept_[0]), coef, names)
        free[max(wrong)[1]] = False  # the worst offender goes; refit


def points_of(fit: Fit) -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
    """(activity points, seniority points, department points), readable: rounded to 0.1, fit >= 0."""
    d = fit.design
    act = {t: round(float(fit.coef[i]) * SCALE, 1) for i, t in enumerate(d.types)}
    n = len(d.types)

    def levels(names: tuple[str, ...], start: int, ref: str | None) -> dict[str, float]:
        if not names:
            return {}
        vals = fit.coef[start:start + len(names)] * SCALE
        low = float(vals[names.index(ref)]) if ref in names else float(vals.min())
        return {k: round(float(v) - low, 1) for k, v in zip(names, vals)}

    return (act, levels(d.seniority, n, fit.refs[0]),
            levels(d.department, n + len(d.seniority), fit.refs[1]))


def with_refs(fit: Fit) -> Fit:
    """The fit with its lowest seniority and department levels recorded as the 0-point references."""
    _, sen, dep = points_of(fit)
    fit.refs = (min(sen, key=lambda k: sen[k]) if sen else None, min(dep, key=lambda k: dep[k]) if dep else None)
    return fit


def _youden(y: np.ndarray, score: np.ndarray) -> float:
    fpr, tpr, thresholds = roc_curve(y, score)
    best = int(np.argmax(tpr - fpr))
    return float(min(thresholds[best], np.max(score)))


def bars_of(fit: Fit, x: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """MQL (engagement, fit) pair and the MQA score bar maximising Youden's J on these rows."""
    act, sen, dep = points_of(fit)
    d = fit.design
    n = len(d.types)
    engagement = np.maximum(0.0, x[:, :n] @ np.array([act[t] for t in d.types])) if n else np.zeros(len(y))
    fit_score = (x[:, n:n + len(d.seniority)] @ np.array([sen[k] for k in d.seniority]) if d.seniority else 0.0) + (
        x[:, n + len(d.seniority):] @ np.array([dep[k] for k in d.department]) if d.department else 0.0)
    fit_score = np.clip(np.asarray(fit_score, dtype=float) * np.ones(len(y)), 0.0, 100.0)
    best = (-2.0, 0.0, 0.0)
    for e in np.unique(np.quantile(engagement, np.linspace(0, 0.95, 20))):
        for f in np.unique(np.quantile(fit_score, np.linspace(0, 0.95, 20))):
            passed = (engagement >= e) & (fit_score >= f)
            tpr = passed[y == 1].mean() if (y == 1).any() else 0.0
            fpr = passed[y == 0].mean() if (y == 0).any() else 0.0
            if tpr - fpr > best[0]:
                best = (float(tpr - fpr), float(e), float(f))
    return {"mql.min_engagement": round(best[1], 1), "mql.min_fit": round(best[2], 1),
            "mqa.min_score": round(_youden(y, engagement), 1)}


def ruleset_scores(snaps: Sequence[AccountSnapshot], rs: Ruleset, as_of: float) -> np.ndarray:
    """Each account's score under a ruleset, by the rules engine: engagement + mean contact fit."""
    out = np.zeros(len(snaps))
    for i, snap in enumerate(snaps):
        q = evaluate(snap, rs, as_of)
        active = [c for c in q.contacts if not c.disqualified]
        out[i] = q.scores.engagement + (sum(c.fit for c in active) / len(active) if active else 0.0)
    return out


def lift(y: np.ndarray, score: np.ndarray, top: float = 0.1) -> float:
    """Outcome rate among the top `top` share by score over the base rate (ties broken by order)."""
    k = max(1, int(round(len(y) * top)))
    best = np.argsort(-score, kind="stable")[:k]
    return float(y[best].mean() / y.mean()) if y.mean() > 0 else 0.0


def _plain(x: np.ndarray, design: Design) -> np.ndarray:
    out = x.copy()
    out[:, :len(design.types)] = np.log1p(out[:, :len(design.types)])
    return out


def cross_validate(rows: Sequence[Row], snaps: Sequence[AccountSnapshot], base: Ruleset, as_of: float, *,
                   folds: int, c: float, seed: int,
                   on_fold: Callable[[int], None] | None = None) -> dict[str, dict[str, Any]]:
    """AUC and top-decile lift per model on each held-out fold (same folds for every model)."""
    y = outcomes_of(rows)
    design = Design.of(rows)
    x = design.matrix(rows)
    scores: dict[str, list[tuple[float, float]]] = {"base": [], "candidate": [], "unconstrained": []}
    for k, (train, test) in enumerate(StratifiedKFold(folds, shuffle=True, random_state=seed).split(x, y)):
        fit = fit_constrained(x[train], y[train], design, base, c=c)
        cand = build_candidate(base, *points_of(fit), bars_of(fit, x[train], y[train]))
        test_snaps = [snaps[i] for i in test]
        plain = LogisticRegression(C=c, max_iter=5000).fit(_plain(x[train], design), y[train])
        for name, s in (("base", ruleset_scores(test_snaps, base, as_of)),
                        ("candidate", ruleset_scores(test_snaps, cand, as_of)),
                        ("unconstrained", plain.decision_function(_plain(x[test], design)))):
            scores[name].append((float(roc_auc_score(y[test], s)), lift(y[test], s)))
        if on_fold:
            on_fold(k + 1)
    return {name: {"auc": round(float(np.mean([a for a, _ in v])), 4),
                   "auc_folds": [round(a, 4) for a, _ in v],
                   "lift_top_decile": round(float(np.mean([li for _, li in v])), 3)} for name, v in scores.items()}


def bootstrap(x: np.ndarray, y: np.ndarray, fit: Fit, base: Ruleset, *, rounds: int, c: float,
              seed: int, on_round: Callable[[int], None] | None = None) -> dict[str, tuple[float, float]]:
    """95% percentile interval of every fitted number over `rounds` refits on resampled rows."""
    rng = np.random.default_rng(seed)
    seen: dict[str, list[float]] = {}
    for r in range(rounds):
        idx = rng.integers(0, len(y), len(y))
        if y[idx].min() == y[idx].max():
            continue
        again = fit_constrained(x[idx], y[idx], fit.design, base, c=c, dropped=fit.dropped)
        again.refs = fit.refs
        act, sen, dep = points_of(again)
        numbers = {**{f"activities.points.{k}": v for k, v in act.items()},
                   **{f"contact_fit.seniority.{k or '(unknown)'}": v for k, v in sen.items()},
                   **{f"contact_fit.department.{k or '(unknown)'}": v for k, v in dep.items()},
                   **bars_of(again, x[idx], y[idx])}
        for k, v in numbers.items():
            seen.setdefault(k, []).append(v)
        if on_round:
            on_round(r + 1)
    return {k: (round(float(np.percentile(v, 2.5)), 1), round(float(np.percentile(v, 97.5)), 1))
            for k, v in seen.items()}



def calibrate(rows: Sequence[Row], snaps: Sequence[AccountSnapshot], base: Ruleset, as_of: float, *,
              folds: int = 5, rounds: int = 100, c: float = 1.0, seed: int = 0,
              progress: Callable[[str, int, int], None] | None = None) -> tuple[str, dict[str, Any]]:
    """(candidate TOML, report). `rows[i]` and `snaps[i]` are the same account. Raises InvalidInput
    when the outcomes are too few to fit anything (fewer than MIN_OUTCOMES of either kind)."""
    y = outcomes_of(rows)
    won, lost = int(y.sum()), int(len(y) - y.sum())
    if min(won, lost) < max(MIN_OUTCOMES, folds):
        raise InvalidInput(f"{won} won and {lost} lost accounts: calibrating needs at least "
                           f"{max(MIN_OUTCOMES, folds)} of each", details=[{"field": "outcomes", "message":
                                                                          "too few outcomes"}])
    design = Design.of(rows)
    x = design.matrix(rows)
    say = progress or (lambda _stage, _done, _total: None)
    cv = cross_validate(rows, snaps, base, as_of, folds=folds, c=c, seed=seed,
                        on_fold=lambda k: say("cross-validation folds", k, folds))
    fit = with_refs(fit_constrained(x, y, design, base, c=c))
    act, sen, dep = points_of(fit)
    bars = bars_of(fit, x, y)
    intervals = bootstrap(x, y, fit, base, rounds=rounds, c=c, seed=seed,
                          on_round=lambda r: say("bootstrap refits", r, rounds))
    data = candidate_data(base, act, sen, dep, bars)
    text = to_toml(data)
    load_ruleset(text)  # the candidate loads as any ruleset does (raises RulesetError if not)

    def number(path: str, value: float, **extra: Any) -> dict[str, Any]:
        low, high = intervals.get(path, (None, None))
        return {"path": path, "value": value, "low": low, "high": high, **extra}

    base_points = base.activities.points
    report = {
        "base_version": base.version, "candidate_version": load_ruleset(text).version, "as_of": as_of,
        "accounts": len(y), "won": won, "lost": lost, "base_rate": round(won / len(y), 4),
        "scale": "points = log-odds * 10 / ln 2: every 10 points double the odds",
        "folds": folds, "bootstrap_rounds": rounds, "regularisation_c": c,
        "cv": cv,
        "points": [number(f"activities.points.{t}", act[t], base=base_points.get(t), dropped=t in fit.dropped)
                   for t in design.types],
        "not_in_data": sorted(set(base_points) - set(design.types)),
        "seniority": [number(f"contact_fit.seniority.{k or '(unknown)'}", v) for k, v in sen.items()],
        "department": [number(f"contact_fit.department.{k or '(unknown)'}", v) for k, v in dep.items()],
        "bars": [number(k, v) for k, v in bars.items()],
    }
    return text, report
