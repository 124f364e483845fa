"""The predictive score: beside the rule-based stage, the probability that an account is won within
the horizon (`horizon_days`), with its top factors in words, from a model fitted on the recorded
outcomes. Training examples are (account, as_of) pairs over the history (`horizon.py`), labelled
"won within the horizon after as_of"; outcomes without dates (a CSV without `at`) fall back to
"won vs lost among closed accounts".

The model is the lab's unconstrained one (`calibrate.py`): an L2 logistic regression on the columns
of `features.py` with log counts (any sign, no rounding), fitted on every account with a won or lost
outcome, engagement measured at the fit. It is kept as JSON (`ScoreModel`) in one graph node so every
worker and replica shows the same score. Factors are contributions to the log-odds relative to the
average fitted account (coefficient x (value - mean)), the three largest by size, said as "raises
/ lowers the odds x N". Cold start: with fewer outcomes than the fit's `min_outcomes`, no model is
fitted and the answer says how many there are and how many are needed, instead of guessing.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from graphsvc.lab.features import Design, Row, outcomes_of, row_of
from graphsvc.rules import AccountSnapshot, Ruleset

TOP_FACTORS = 3


@dataclass
class ScoreModel:
    outcomes: int
    won: int
    min_outcomes: int
    fitted_at: float
    types: list[str]
    seniority: list[str]
    department: list[str]
    coef: list[float]
    intercept: float
    means: list[float]
    horizon_days: float | None = None  # the label: won within this many days (None: won vs lost)
    examples: int = 0  # (account, as_of) training pairs when horizon_days is set
    positives: int = 0  # of those, won within the horizon

    @property
    def ready(self) -> bool:
        return self.outcomes >= self.min_outcomes and bool(self.coef)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> ScoreModel:
        return cls(**json.loads(text))


def _x(design: Design, rows: list[Row]) -> np.ndarray:
    x = design.matrix(rows)
    x[:, :len(design.types)] = np.log1p(x[:, :len(design.types)])
    return x


def fit(rows: list[Row], *, fitted_at: float, min_outcomes: int, c: float = 1.0,
        outcomes: tuple[int, int] | None = None, horizon_days: float | None = None) -> ScoreModel:
    """The model, or (cold start: fewer than `min_outcomes` outcomes, or only one kind of label) an
    empty one that records how many outcomes there were. Rows are accounts labelled won / lost, or,
    with `horizon_days`, (account, as_of) pairs labelled "won within the horizon after as_of"; then
    `outcomes` is (accounts with an outcome, of those won), which the cold start counts."""
    # scikit-learn only here: readiness (predict) runs in every API process and needs numpy alone.
    from sklearn.linear_model import LogisticRegression

    y = outcomes_of(rows)
    positives = int(y.sum())
    n_outcomes, won = outcomes if outcomes is not None else (len(rows), positives)
    extra = {"horizon_days": horizon_days, "examples": len(rows) if horizon_days else 0,
             "positives": positives if horizon_days else 0}
    if n_outcomes < min_outcomes or positives in (0, len(rows)):
        return ScoreModel(n_outcomes, won, min_outcomes, fitted_at, [], [], [], [], 0.0, [], **extra)
    design = Design.of(rows)
    x = _x(design, rows)
    model = LogisticRegression(C=c, max_iter=5000).fit(x, y)
    return ScoreModel(n_outcomes, won, min_outcomes, fitted_at, list(design.types), list(design.seniority),
                      list(design.department), [float(v) for v in model.coef_[0]], float(model.intercept_[0]),
                      [float(v) for v in x.mean(axis=0)], **extra)


def _name(model: ScoreModel, j: int) -> str:
    n, s = len(model.types), len(model.seniority)
    if j < n:
        return f"{model.types[j]} activity"
    if j < n + s:
        return f"contacts with seniority {model.seniority[j - n] or '(unknown)'}"
    return f"contacts in department {model.department[j - n - s] or '(unknown)'}"


def predict(model: ScoreModel | None, snap: AccountSnapshot, ruleset: Ruleset) -> dict[str, Any]:
    """{probability, factors, outcomes, fitted_at, message}; probability None on a cold start."""
    if model is None:
        return {"probability": None, "factors": [], "outcomes": 0, "fitted_at": None, "horizon_days": None,
                "message": "No score model has been fitted yet: `graphsvc rules fit-score` fits one from the "
                           "recorded won and lost accounts."}
    if not model.ready:
        return {"probability": None, "factors": [], "outcomes": model.outcomes, "fitted_at": model.fitted_at,
                "horizon_days": model.horizon_days,
                "message": f"Not enough outcomes to score: {model.outcomes} won or lost account(s) ({model.won} won) "
                           f"were recorded; a score needs at least {model.min_outcomes} and both kinds."}
    design = Design(tuple(model.types), tuple(model.seniority), tuple(model.department))
    x = _x(design, [row_of(snap, 0, ruleset)])[0]
    coef, means = np.array(model.coef), np.array(model.means)
    logit = model.intercept + float(coef @ x)
    contrib = coef * (x - means)
    factors = []
    for j in np.argsort(-np.abs(contrib))[:TOP_FACTORS]:
        effect = float(contrib[j])
        if abs(effect) < 0.01:
            continue
        way = "raises" if effect > 0 else "lowers"
        level = "more" if x[j] > means[j] else "less"
        if j >= len(model.types):
            level = "more" if x[j] > means[j] else "fewer"
        factors.append({"factor": _name(model, int(j)), "log_odds": round(effect, 3),
                        "text": f"{level} {_name(model, int(j))} than the average account {way} the odds "
                                f"x{math.exp(abs(effect)):.1f}"})
    return {"probability": round(1 / (1 + math.exp(-logit)), 4), "factors": factors, "outcomes": model.outcomes,
            "fitted_at": model.fitted_at, "horizon_days": model.horizon_days, "message": None}

