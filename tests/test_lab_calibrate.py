"""Calibrate recovers the points of a synthetic world whose points are known (pure: no store)."""

from __future__ import annotations

import math
import random

import pytest

from graphsvc.errors import InvalidInput
from graphsvc.lab.calibrate import SCALE, calibrate
from graphsvc.lab.features import row_of
from graphsvc.rules import AccountSnapshot, Activity, ContactSnapshot, default_ruleset, load_ruleset, summarize

DAY = 86400.0
AS_OF = 1_790_000_000.0
# The hidden truth, in ruleset points (10 points double the odds), with the default half-life (30 days).
TRUE = {"webinar_attended": 12.0, "quote_request": 30.0, "pricing_page_view": 6.0, "unsubscribe": -25.0}
RATES = {"webinar_attended": 1.0, "quote_request": 0.4, "pricing_page_view": 2.0, "unsubscribe": 0.15}
INTERCEPT = -2.0  # log-odds of a lead with no engagement
# Seniority matters too: a VP is 15 points above an individual contributor.
SENIORITY = {"vp": 15.0, "individual_contributor": 0.0}


def world(n: int, seed: int) -> tuple[list[AccountSnapshot], list[int]]:
    rng = random.Random(seed)
    snaps, won = [], []
    for i in range(n):
        acts = []
        for t, rate in RATES.items():
            k = sum(rng.random() < rate / 4 for _ in range(4)) + (rng.random() < rate / 4)
            acts += [Activity(id=f"{i}-{t}-{j}", type=t, at=AS_OF - rng.uniform(0, 120) * DAY) for j in range(k)]
        stats = summarize(acts, 30.0, AS_OF)
        seniority = rng.choice(sorted(SENIORITY))
        points = INTERCEPT * SCALE + sum(TRUE[s.type] * s.decay_weight for s in stats) + SENIORITY[seniority]
        p = 1 / (1 + math.exp(-points / SCALE))
        won.append(int(rng.random() < p))
        contact = ContactSnapshot(id=f"c{i}", seniority=seniority, department="engineering", stats=stats)
        snaps.append(AccountSnapshot(id=f"a{i}", contacts=(contact,)))
    return snaps, won


def test_calibrate_recovers_the_points_of_a_known_world():
    base = default_ruleset()
    snaps, won = world(6000, seed=3)
    rows = [row_of(s, w, base) for s, w in zip(snaps, won)]
    text, report = calibrate(rows, snaps, base, AS_OF, folds=3, rounds=40, c=10.0, seed=1)
    points = {p["path"].rsplit(".", 1)[1]: p for p in report["points"]}
    assert set(points) == set(TRUE)
    for t, truth in TRUE.items():
        got = points[t]
        assert not got["dropped"]
        assert abs(got["value"] - truth) <= max(2.5, 0.15 * abs(truth)), (t, got, truth)
        assert got["low"] - 1.0 <= truth <= got["high"] + 1.0, (t, got, truth)  # interval covers it (rounding)
    sen = {p["path"].rsplit(".", 1)[1]: p["value"] for p in report["seniority"]}
    assert sen["individual_contributor"] == 0.0 and abs(sen["vp"] - 15.0) <= 3.0
    # The candidate is a valid ruleset carrying those numbers, and it ranks better than the default.
    cand = load_ruleset(text)
    assert cand.activities.points["quote_request"] == points["quote_request"]["value"]
    assert cand.contact_fit.seniority["vp"] == sen["vp"]
    assert report["cv"]["candidate"]["auc"] > report["cv"]["base"]["auc"]
    assert report["cv"]["candidate"]["auc"] >= report["cv"]["unconstrained"]["auc"] - 0.02


def test_a_type_whose_sign_contradicts_the_base_is_dropped_not_flipped():
    base = default_ruleset()
    snaps, won = world(3000, seed=5)
    # In this world page views hurt; the default ruleset says they are worth +1: the candidate gives 0.
    rng = random.Random(9)
    flipped = []
    for s, w in zip(snaps, won):
        n = rng.randint(0, 6) if not w else rng.randint(0, 2)
        c = s.contacts[0]
        stats = c.stats + summarize([Activity(id=f"{s.id}-pv{j}", type="page_view", at=AS_OF) for j in range(n)],
                                    30.0, AS_OF)
        flipped.append(AccountSnapshot(id=s.id, contacts=(ContactSnapshot(id=c.id, seniority=c.seniority,
                                                                           stats=stats),)))
    rows = [row_of(s, w, base) for s, w in zip(flipped, won)]
    _, report = calibrate(rows, flipped, base, AS_OF, folds=3, rounds=5, seed=1)
    pv = next(p for p in report["points"] if p["path"] == "activities.points.page_view")
    assert pv["dropped"] is True and pv["value"] == 0.0 and pv["base"] == 1.0


def test_too_few_outcomes_is_refused():
    base = default_ruleset()
    snaps, won = world(200, seed=1)
    won = [0] * 195 + [1] * 5
    rows = [row_of(s, w, base) for s, w in zip(snaps, won)]
    with pytest.raises(InvalidInput, match="5 won and 195 lost"):
        calibrate(rows, snaps, base, AS_OF)
