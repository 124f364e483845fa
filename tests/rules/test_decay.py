"""Issue 10: `Qualification.requalify_at`, the first second at which time alone changes an account's
evaluation (rules/decay.py). Pure tests.

The oracle: evaluate the same stored state later, with every contact's decay weights rescaled to the
later time (exactly what the store's kept aggregates give), and compare the outcome the store keeps
(stage, held, missing roles). At `requalify_at - 1` it must be the outcome at NOW; at `requalify_at`
it must differ. When it is None, it must not differ even a century later.
"""

from __future__ import annotations

import dataclasses
import math
import random

import pytest

from graphsvc.rules import evaluate
from graphsvc.rules.decay import _capped_guess, _stepped_guess, first_failing_second
from graphsvc.rules.snapshot import AccountSnapshot, ContactSnapshot, RoleAssignment

from .factory import DAY, NOW, RS, account, engaged, ruleset_with

CENTURY = 36_500 * DAY


def later(snap: AccountSnapshot, t: float, ruleset=RS) -> AccountSnapshot:
    """The snapshot the store would build at t > NOW with nothing new: weights decayed further."""
    f = 0.5 ** ((t - NOW) / (ruleset.activities.half_life_days * DAY))

    def move(c: ContactSnapshot) -> ContactSnapshot:
        return dataclasses.replace(c, stats=tuple(dataclasses.replace(s, decay_weight=s.decay_weight * f) for s in c.stats))

    return dataclasses.replace(snap, contacts=tuple(move(c) for c in snap.contacts),
                               inherited=tuple(move(c) for c in snap.inherited),
                               rolled_up=tuple(move(c) for c in snap.rolled_up))


def outcome(snap: AccountSnapshot, t: float, ruleset=RS) -> tuple:
    q = evaluate(later(snap, t, ruleset), ruleset, t)
    return q.stage, q.held, q.buying_center.missing


def check_exact(snap: AccountSnapshot, ruleset=RS) -> float | None:
    """requalify_at is exactly the first whole second the outcome changes (or None: never)."""
    q = evaluate(snap, ruleset, NOW)
    now = (q.stage, q.held, q.buying_center.missing)
    r = q.requalify_at
    if r is None:
        assert outcome(snap, NOW + CENTURY, ruleset) == now
        return None
    assert r > NOW and r == math.floor(r)
    if r - 1 > NOW:
        assert outcome(snap, r - 1, ruleset) == now, "changed before requalify_at"
    assert outcome(snap, r, ruleset) != now, "nothing changed at requalify_at"
    return r


# ------------------------------------------------------------------------------- first_failing_second
@pytest.mark.parametrize("edge", [NOW + 1, NOW + 1.5, NOW + 17, NOW + 12_345.25, NOW + 40 * DAY, NOW + 1e9])
@pytest.mark.parametrize("guess_offset", [0, -1, 1, -5_000, 7_777, -1e10, 1e10, math.inf])
def test_first_failing_second_finds_the_edge_from_any_guess(edge, guess_offset):
    calls = []

    def holds(t: float) -> bool:
        calls.append(t)
        return t < edge

    got = first_failing_second(holds, NOW + 0.25, edge + guess_offset)
    assert got == math.ceil(edge)
    assert len(calls) < 140  # exponential search and bisection, not a walk


def test_first_failing_second_is_none_when_the_predicate_never_fails():
    assert first_failing_second(lambda t: True, NOW, NOW + DAY) is None


def test_first_failing_second_is_always_after():
    assert first_failing_second(lambda t: t <= NOW, NOW, NOW - 100) == NOW + 1


# --------------------------------------------------------------------------------------- one bar
def test_engaged_account_drops_when_its_engagement_decays_below_the_bar():
    snap = account(engaged("e1", 5.0), stage="engaged", stage_since=NOW - DAY, qualified_at=NOW - DAY)
    r = check_exact(snap)
    # 5 points fall below 0.5 (rounded to 0.01: below 0.495) after ~log2(5 / 0.495) half-lives
    assert abs(r - (NOW + 30 * DAY * math.log2(5.0 / 0.495))) < 2
    # at that second, with the outcome stored at NOW (qualified_until = r): held, the hold starts
    stored = dataclasses.replace(snap, qualified_until=evaluate(snap, RS, NOW).qualified_until)
    assert evaluate(later(stored, r), RS, r).held


def test_exactly_at_the_bar():
    snap = account(engaged("e1", 0.5), stage="engaged", stage_since=NOW - DAY)
    assert evaluate(snap, RS, NOW).stage == "engaged"  # 0.5 >= 0.5 passes now
    r = check_exact(snap)
    # it still shows 0.50 until it is below 0.495: a little over half a day, not at once
    assert NOW + 0.4 * DAY < r < NOW + 0.5 * DAY


def test_just_below_the_bar_is_target_and_nothing_is_due():
    snap = account(engaged("e1", 0.49))
    q = evaluate(snap, RS, NOW)
    assert q.stage == "target" and q.requalify_at is None
    check_exact(snap)


@pytest.mark.parametrize("points", [0.5, 0.51, 0.995, 1.0, 9.999, 10.0, 10.004, 40.0, 89.99, 90.0, 120.0])
def test_exact_at_and_around_bars(points):
    """Scores at and around the engaged (0.5), engaged-contact (10) and MQA (90) bars."""
    people = [engaged("e1", points), engaged("e2", points), engaged("e3", min(points, 40.0))]
    for stage in ("target", "engaged", "mqa"):
        check_exact(account(*people, stage=stage, stage_since=NOW - DAY, qualified_at=NOW - DAY))


# ------------------------------------------------------------------------------------ several bars
def test_several_bars_the_earliest_wins():
    """An MQA rests on two decaying checks: the capped score (90) and two contacts >= 10. Three
    contacts at 40 lose the score first (120 -> 90 in ~12 days); with a 30 point score bar, the
    second-best contact falling below 10 (~60 days) comes first."""
    people = (engaged("e1", 40.0), engaged("e2", 40.0), engaged("e3", 40.0))
    snap = account(*people, stage="mqa", stage_since=NOW - DAY, qualified_at=NOW - DAY)
    r_score = check_exact(snap)
    assert abs(r_score - (NOW + 30 * DAY * math.log2(120 / 89.995))) < 15 * 60  # per-contact rounding: minutes
    low_bar = ruleset_with("[mqa]\nmin_score = 30.0\n")
    r_contacts = check_exact(snap, low_bar)
    assert r_contacts > r_score
    assert abs(r_contacts - (NOW + 30 * DAY * math.log2(40 / 9.995))) < 2
    stored = dataclasses.replace(snap, qualified_until=evaluate(snap, low_bar, NOW).qualified_until)
    q = evaluate(later(stored, r_contacts, low_bar), low_bar, r_contacts)
    assert q.held and not q.mqa.check("engaged_contacts").passed


def test_the_cap_delays_the_score_crossing():
    """A contact far above the cap keeps contributing the cap until it decays below it."""
    snap = account(engaged("e1", 400.0), engaged("e2", 40.0), engaged("e3", 15.0), stage="mqa", stage_since=NOW - DAY)
    assert evaluate(snap, RS, NOW).scores.mqa_score == 95
    r = check_exact(snap)
    # e1 stays capped at 40 while e2 + e3 (55) fall to 50: the score 90 is crossed then
    assert abs(r - (NOW + 30 * DAY * math.log2(55 / 49.995))) < 15 * 60


def test_negative_engagement_never_schedules_anything():
    """An unsubscriber's negative points decay towards 0 from below: floored at 0 all the way."""
    snap = account(engaged("u", -20.0, type="unsubscribe"), engaged("e1", 3.0), stage="engaged")
    r = check_exact(snap)
    assert abs(r - (NOW + 30 * DAY * math.log2(3.0 / 0.495))) < 2


# --------------------------------------------------------------------------------- nothing decays
@pytest.mark.parametrize("stage", ["accepted", "opportunity", "won", "lost", "disqualified", "nurture"])
def test_people_stages_and_nurture_never_move_with_time(stage):
    snap = account(engaged("e1", 40.0), engaged("e2", 40.0), engaged("e3", 40.0), stage=stage,
                   stage_since=NOW - DAY)
    assert evaluate(snap, RS, NOW).requalify_at is None
    check_exact(snap)


def test_no_engagement_nothing_due():
    assert check_exact(account()) is None
    assert check_exact(account(engaged("e1", 0.0))) is None


def test_a_disqualified_domain_is_not_decay():
    snap = account(engaged("e1", 40.0), engaged("e2", 40.0), engaged("e3", 40.0), domain="competitor.example")
    rs = ruleset_with('[disqualifiers]\ncompetitor_domains = ["competitor.example"]\n')
    assert evaluate(snap, rs, NOW).requalify_at is None
    check_exact(snap, rs)


def test_a_bar_at_zero_never_fails():
    """min_score = 0 and min_engaged_contacts = 0: the MQA gate rests on fit alone, no decay."""
    rs = ruleset_with("[mqa]\nmin_score = 0.0\nmin_engaged_contacts = 0\n")
    snap = account(stage="mqa", stage_since=NOW - DAY)
    assert evaluate(snap, rs, NOW).stage == "mqa"
    assert check_exact(snap, rs) is None


def test_slowest_decay_is_still_finite():
    rs = ruleset_with("[activities]\nhalf_life_days = 36500.0\n")
    snap = account(engaged("e1", 5.0), stage="engaged")
    r = check_exact(snap, rs)
    assert r > NOW + 100_000 * DAY


# -------------------------------------------------------------------------------------- windows
def _sql_people(intent_days=3.0, vp_days=1.0):
    return (
        engaged("e1", 40, "Test Engineer", type="quote_request", days_ago=intent_days),
        engaged("e2", 40, "Process Engineer"),
        engaged("vp", 20, "VP Operations", days_ago=vp_days),
    )


def test_intent_window_expiry():
    """Score bars are far (contacts at 40 and 40 + a VP): the quote request 3 days old leaves the
    30-day window first, at 27.005 days (ages are compared at 0.01 day)."""
    rs = ruleset_with("[mqa]\nmin_score = 30.0\n")
    snap = account(*_sql_people(), stage="sql", stage_since=NOW - DAY)
    assert evaluate(snap, rs, NOW).stage == "sql"
    r = check_exact(snap, rs)
    assert abs(r - (NOW + 27.005 * DAY)) <= 1
    assert not evaluate(later(snap, r, rs), rs, r).sql.check("intent").passed


def test_role_engagement_window_expiry():
    """The decision maker (inferred VP) last engaged 1 day ago; with a 2-day role window the role
    goes missing after 1 day, before anything else."""
    rs = ruleset_with("[mqa]\nmin_score = 30.0\n[sql]\nrole_engagement_days = 2.0\n")
    snap = account(*_sql_people(), stage="sql", stage_since=NOW - DAY)
    q = evaluate(snap, rs, NOW)
    assert q.stage == "sql" and q.buying_center.missing == ()
    r = check_exact(snap, rs)
    assert r == NOW + DAY + 1  # still covered at exactly 2 days (<=), missing one second later
    assert evaluate(later(snap, r, rs), rs, r).buying_center.missing == ("decision_maker",)


def test_a_covered_role_on_a_target_account_is_scheduled_too():
    """missing_roles is stored with the outcome: its change is due even when the stage stays."""
    vp = engaged("vp", 0.2, "VP Operations", days_ago=80,
                 roles=(RoleAssignment("decision_maker", "sales"),))
    snap = account(vp)
    q = evaluate(snap, RS, NOW)
    assert q.stage == "target" and q.buying_center.missing == ()
    r = check_exact(snap)
    assert abs(r - (NOW + 10 * DAY)) <= 1


# ----------------------------------------------------------------------------------------- holds
def test_a_held_stage_is_due_when_the_hold_ends():
    snap = account(engaged("e1", 5.0), stage="mqa", stage_since=NOW - 30 * DAY, qualified_at=NOW - 3 * DAY)
    q = evaluate(snap, RS, NOW)
    assert q.held and q.stage == "mqa"
    assert check_exact(snap) == NOW + 11 * DAY  # 14 hold days from qualified_at
    assert q.qualified_until is None  # held: the bar does not pass now


def test_qualified_until_is_where_the_hold_counts_from():
    """The last evaluation (40 days ago) said the MQA bar would pass until 2 days ago: without
    evaluations in between (decay-driven requalification), the hold counts from then, as it would
    have from the last hourly pass; without qualified_until the account would drop at once."""
    people = (engaged("e1", 5.0),)
    base = account(*people, stage="mqa", stage_since=NOW - 50 * DAY, qualified_at=NOW - 40 * DAY)
    assert evaluate(base, RS, NOW).stage == "engaged"
    kept = dataclasses.replace(base, qualified_until=NOW - 2 * DAY)
    q = evaluate(kept, RS, NOW)
    assert q.stage == "mqa" and q.held and q.requalify_at == NOW + 12 * DAY
    # the held outcome keeps that moment as qualified_at: the next evaluation counts from it too
    assert q.qualified_at == NOW - 2 * DAY and q.qualified_until is None
    again = evaluate(dataclasses.replace(base, qualified_at=q.qualified_at), RS, NOW + DAY)
    assert again.held and again.requalify_at == NOW + 12 * DAY
    # a qualified_until still ahead (an ingest requalifies before it): counted as now
    ahead = dataclasses.replace(base, qualified_until=NOW + 5 * DAY)
    q = evaluate(ahead, RS, NOW)
    assert q.held and q.requalify_at == NOW + 14 * DAY


def test_only_the_ruleset_that_found_the_bar_passing_may_count_the_hold_from_qualified_until():
    """A candidate being simulated, or a ruleset just activated, did not find the bar passing until
    qualified_until: it counts the hold from the evaluations' own times, as before issue 10, so a
    stricter candidate demotes as soon as the hold since the last evaluation is over."""
    people = (engaged("e1", 5.0),)
    base = account(*people, stage="mqa", stage_since=NOW - 50 * DAY, qualified_at=NOW - 40 * DAY)
    mine = dataclasses.replace(base, qualified_until=NOW - 2 * DAY, qualified_by=RS.version)
    assert evaluate(mine, RS, NOW).held
    other = dataclasses.replace(mine, qualified_by="0123456789ab")
    q = evaluate(other, RS, NOW)
    assert q.stage == "engaged" and not q.held


def test_qualified_until_is_the_requalify_at_of_a_passing_stage():
    snap = account(engaged("e1", 40.0), engaged("e2", 40.0), engaged("e3", 40.0))
    q = evaluate(snap, RS, NOW)
    assert q.stage == "mqa" and not q.held and q.qualified_until == q.requalify_at is not None


def test_chained_requalifications_reach_what_a_full_pass_gives():
    """Requalifying only at each requalify_at (carrying the outcome forward as the store does)
    ends, 200 days on, where an evaluation every hour ends, with the same stage changes."""
    people = _sql_people()
    start = account(*people, stage="target")

    # decay-driven: evaluate at NOW, then at each requalify_at
    t, driven = NOW, []
    snap = start
    for _ in range(20):
        q = evaluate(dataclasses.replace(snap, contacts=later(start, t).contacts), RS, t)
        if q.changed:
            driven.append((q.stage, q.held))
        snap = dataclasses.replace(snap, stage=q.stage, qualified_at=q.qualified_at,
                                   stage_since=t if q.changed else snap.stage_since, qualified_until=q.qualified_until)
        if q.requalify_at is None or q.requalify_at > NOW + 200 * DAY:
            break
        t = q.requalify_at
    hourly, snap = [], start
    for step in range(0, 200 * 24 + 1, 1):
        t = NOW + step * 3600
        q = evaluate(dataclasses.replace(snap, contacts=later(start, t).contacts), RS, t)
        if q.changed:
            hourly.append((q.stage, q.held))
        snap = dataclasses.replace(snap, stage=q.stage, qualified_at=q.qualified_at,
                                   stage_since=t if q.changed else snap.stage_since, qualified_until=q.qualified_until)
    assert driven == hourly and driven[0][0] == "sql" and len(driven) >= 2, (driven, hourly)


# ------------------------------------------------------------------------------- the stepped guess
@pytest.mark.parametrize("seed", range(200))
def test_the_stepped_guess_lands_on_the_edge_of_the_rounded_sum(seed):
    """The guess walks each contact's 0.01 steps from the continuous model's crossing to the edge of
    the engine's rounded sum, so the search from it takes a few predicate calls (it took ~30 from
    the model's own guess) and finds the same second as a search from far away."""
    rnd = random.Random(seed)
    half_life = rnd.choice([3.0, 30.0, 90.0]) * DAY
    raws = [rnd.choice([rnd.uniform(0.01, 1.0), rnd.uniform(1.0, 60.0)]) for _ in range(rnd.randint(1, 12))]
    cap = rnd.choice([math.inf, 10.0, 25.0])
    bar = rnd.choice([0.5, 5.0, 12.34, 30.0])
    now_sum = round(sum(min(round(r, 2), cap) for r in raws), 2)
    if now_sum < bar:  # it must hold at NOW to have an edge later: take a bar under today's sum
        bar = max(0.01, round(now_sum * rnd.uniform(0.2, 0.9), 2))

    def holds(t: float) -> bool:
        x = 0.5 ** ((t - NOW) / half_life)
        return round(sum([min(round(r * x, 2), cap) for r in raws]), 2) >= bar

    calls = []

    def counted(t: float) -> bool:
        calls.append(t)
        return holds(t)

    # the continuous crossings the engine starts from (engaged: no cap; the MQA score: capped)
    model = (bar - 0.005) / sum(raws) if cap == math.inf else _capped_guess(raws, cap, bar - 0.005)
    x = _stepped_guess(raws, cap, bar, model)
    assert x is not None
    got = first_failing_second(counted, NOW, NOW + half_life * -math.log2(x))
    assert got == first_failing_second(holds, NOW, NOW + 1)  # exact whatever the guess
    assert len(calls) <= 6, (len(calls), raws, cap, bar)


# ------------------------------------------------------------------------------------- property
@pytest.mark.parametrize("seed", range(150))
def test_random_accounts_requalify_at_is_exact(seed):
    rnd = random.Random(seed)
    types = ["page_view", "content_download", "webinar_attended", "quote_request", "demo_request", "unsubscribe"]
    titles = ["Test Engineer", "VP Operations", "CFO", "Process Engineer", None]
    people = [
        engaged(f"c{i}", rnd.choice([rnd.uniform(0, 60), rnd.choice([0.5, 10.0, 40.0, 45.0])]) * (-1 if t == "unsubscribe" else 1),
                rnd.choice(titles), type=t, days_ago=rnd.uniform(0, 120))
        for i, t in enumerate(rnd.choices(types, k=rnd.randint(0, 6)))
    ]
    stage = rnd.choice(["target", "engaged", "mqa", "sql", "mqa", "sql"])
    snap = account(*people, stage=stage, stage_since=NOW - rnd.uniform(0, 40) * DAY,
                   qualified_at=NOW - rnd.uniform(0, 20) * DAY)
    rs = rnd.choice([RS, ruleset_with("[mqa]\nmin_score = 30.0\n[sql]\nrole_engagement_days = 20.0\n"),
                     ruleset_with("[activities]\nhalf_life_days = 3.0\n[stages]\nhold_days = 0.0\n")])
    check_exact(snap, rs)


# ------------------------------------------------------------- buying groups and roll-up (issue 15)
def test_a_groups_sql_ends_when_its_own_members_intent_ages_out_not_the_accounts():
    """The SQL stands on group `packaging` (its decision maker's quote request, 10 days old); a
    non-member's newer intent (1 day) does not count for that group, so requalify_at is when the
    member's signal leaves the window, not the non-member's."""
    dm = RoleAssignment("decision_maker", "sales", 1.0, "packaging")
    vp = engaged("vp", 20, "VP Operations", type="quote_request", days_ago=10.0, roles=[dm])
    recent = engaged("vp", 5, type="content_download", days_ago=1.0).stats  # engaged yesterday: covers longer
    vp = dataclasses.replace(vp, stats=vp.stats + recent)
    people = [engaged("e1", 40, "Test Engineer", type="quote_request", days_ago=1.0),
              engaged("e2", 40, "Process Engineer"), engaged("e3", 40, "Automation Engineer")]
    snap = account(*people, vp)
    q = evaluate(snap, RS, NOW)
    assert q.stage == "sql" and q.qualified_group == "packaging"
    r = check_exact(snap)
    assert r is not None and r <= NOW + (RS.sql.intent_window_days - 10 + 1) * DAY


def test_under_roll_up_the_parents_mqa_fades_with_its_subsidiaries_people():
    roll = ruleset_with('[hierarchy]\nsubsidiary_engagement = "roll_up"\n')
    subs = tuple(dataclasses.replace(engaged(c, 40, "Engineer"), account_id="uk", account_name="UOG UK")
                 for c in ("s1", "s2", "s3"))
    snap = dataclasses.replace(account(id="uog", name="United Oil & Gas"), rolled_up=subs)
    q = evaluate(snap, roll, NOW)
    assert q.stage == "mqa"  # on the subsidiaries' engagement alone
    assert check_exact(snap, roll) is not None
