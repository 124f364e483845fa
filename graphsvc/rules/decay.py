"""When an account's evaluation next changes by the passing of time alone (issue 10, "decay without
a full pass"). Pure: from what `evaluate` computed at `as_of`, no I/O, no clock.

Without new data, time can only take things away: every contact's decayed engagement shrinks by the
same factor `0.5 ** ((t - as_of) / half_life)` (all activity types share the half-life, so a
contact's sum keeps its sign and a negative one stays floored at 0), the newest intent signal ages,
role coverage expires `sql.role_engagement_days` after a contact last engaged, and a held stage drops
when its hold runs out. Every check the stage depends on is therefore monotone in time: true until
some moment, then false for good. `next_change` finds, for each such check that passes now, the
first whole epoch second at which it fails, computed with the engine's own arithmetic (the same
rounding of scores to 0.01 and of ages to 0.01 day) so the answer is exact to the second, not an
estimate; the earliest of them is when requalifying the account can change its outcome. None when
nothing can (a target account with no engagement left, a stage people set, nurture: re-entry needs
new activity, and new activity requalifies the account anyway).

Checks that do not decide the stage (a contact's MQL flag, an MQA sub-check of an account whose
stage does not rest on the MQA gate) are not scheduled: their change is shown at the next
evaluation, whatever triggers it; nor, while a stage is held, anything but the hold's end (the
stage stays until then whatever fades). Required roles are: they are stored with the outcome.
Cost: a few calls of cheap predicates per check (each search starts at the edge: _stepped_guess).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Sequence

from .contacts import ContactEval
from .result import BuyingCenter
from .ruleset import Ruleset
from .snapshot import SECONDS_PER_DAY, AccountSnapshot
from .vocabulary import AUTOMATIC_STAGES

__all__ = ["first_failing_second", "next_change"]

HORIZON_S = 1e12  # ~30,000 years: past this, "never" (a bar at or below 0 never fails)


def first_failing_second(holds: Callable[[float], bool], after: float, guess: float) -> float | None:
    """The first whole second t > `after` at which the monotone predicate `holds` (true at `after`,
    false from some moment on, never true again) is false; None if it holds up to HORIZON_S.
    `guess` is where it probably flips: exponential search outward from it, then bisection, so a
    good guess costs a handful of calls."""
    low = math.floor(after)  # holds here: at or before `after`
    start = max(low + 1, math.floor(guess) if math.isfinite(guess) else low + 1)
    start = min(start, low + int(HORIZON_S))
    step = 1
    if holds(start):
        low = start
        while True:
            high = start + step
            if high - after > HORIZON_S:
                high = low + int(HORIZON_S)
                if holds(high):
                    return None
                break
            if not holds(high):
                break
            low, step = high, step * 2
    else:
        high = start
        while high - step > low and not holds(high - step):
            high, step = high - step, step * 2
        low = max(low, high - step)
    while high - low > 1:
        mid = (low + high) // 2
        if holds(mid):
            low = mid
        else:
            high = mid
    return float(high)


def _factor(as_of: float, half_life_s: float) -> Callable[[float], float]:
    return lambda t: float(0.5 ** ((t - as_of) / half_life_s))


def _decay_guess(as_of: float, half_life_s: float, value: float, target: float) -> float:
    """When `value`, decaying from as_of, reaches `target` (ignoring rounding)."""
    if value <= 0 or target <= 0:
        return as_of + 1
    return as_of + half_life_s * math.log2(value / target) if value > target else as_of + 1


def _stepped_guess(raws: Sequence[float], cap: float, bar: float, factor: float) -> float | None:
    """The decay factor at which the engine's sum, round(sum(min(round(r * f, 2), cap)), 2), first
    falls below `bar`, walking the contacts' 0.01 steps outward from `factor` (a continuous-model
    guess): each contact's rounded score drops by 0.01 when r * f crosses its value - 0.005, so the
    sum's edge is one of those crossings, found in a handful of steps. Why: the model ignores the
    rounding, up to 0.005 per contact, i.e. hours of decay; searching from its guess took ~30
    predicate calls (30-day half-life), from this one 2 (2,000 stored accounts). None when the walk is long (a bad
    guess): the caller keeps its own. Only the search's cost depends on it (first_failing_second is exact)."""
    vals = [min(round(r * factor, 2), cap) for r in raws]
    cents, need = round(sum(vals) * 100), math.ceil(bar * 100 - 1e-9)  # holds while cents >= need
    heap: list[tuple[float, int]] = []
    if cents >= need:  # later: pop the highest factor at which a score steps down
        steps, sign, move = cents - need + 1, -1.0, -0.01
        heap = [(-(v - 0.005) / r, i) for i, (r, v) in enumerate(zip(raws, vals)) if v > 0]
    else:  # earlier: the lowest factor at which one steps up (a capped score cannot)
        steps, sign, move = need - cents, 1.0, 0.01
        heap = [((v + 0.005) / r, i) for i, (r, v) in enumerate(zip(raws, vals)) if v + 0.01 <= cap + 1e-9]
    if steps > 64:
        return None
    heapq.heapify(heap)
    level = factor
    for _ in range(steps):
        if not heap:
            return None
        key, i = heapq.heappop(heap)
        level, vals[i] = sign * key, vals[i] + move
        v = vals[i]
        if (v > 0.005) if move < 0 else (v + 0.01 <= cap + 1e-9):
            heapq.heappush(heap, (sign * (v + move / 2) / raws[i], i))
    return level


def _capped_guess(raws: Sequence[float], cap: float, bar: float) -> float:
    """The factor f at which sum(min(r * f, cap)) falls to `bar` (no rounding): piecewise linear in
    f, solved on the piece where the top j contacts are still capped."""
    ordered = sorted(raws, reverse=True)
    for j in range(len(ordered) + 1):
        rest = sum(ordered[j:])
        if rest <= 0:
            continue
        f = (bar - j * cap) / rest
        if (j == 0 or ordered[j - 1] * f >= cap) and (j == len(ordered) or ordered[j] * f <= cap):
            return max(f, 1e-300)
    return 1.0


def _engagement_times(raws: list[float], ruleset: Ruleset, as_of: float, computed: str) -> list[float | None]:
    """When the engagement checks the computed stage rests on fail: the MQA gate's engaged-contacts
    count and capped score (computed mqa or sql), the account's engagement (computed engaged)."""
    h = ruleset.activities.half_life_days * SECONDS_PER_DAY
    f = _factor(as_of, h)
    out: list[float | None] = []
    if computed in ("mqa", "sql"):
        m = ruleset.mqa
        k = m.min_engaged_contacts
        ordered = sorted(raws, reverse=True)
        if 0 < k <= len(ordered):
            rk = ordered[k - 1]  # all contacts decay alike: the k-th stays k-th
            bar = m.engaged_contact_min
            out.append(first_failing_second(lambda t: round(rk * f(t), 2) >= bar, as_of,
                                            _decay_guess(as_of, h, rk, bar - 0.005)))
        if m.min_score > 0:
            cap, bar = m.per_contact_cap, m.min_score

            def score(t: float) -> bool:
                x = f(t)
                return round(sum([min(round(r * x, 2), cap) for r in raws]), 2) >= bar

            x = _capped_guess(raws, cap, max(bar - 0.005, bar / 2))
            x = _stepped_guess(raws, cap, bar, x) or x
            out.append(first_failing_second(score, as_of, as_of + h * -math.log2(x)))
    elif computed == "engaged":
        bar = ruleset.stages.engaged_min_engagement

        def engaged(t: float) -> bool:
            x = f(t)  # once per call, not once per contact
            return round(sum([round(r * x, 2) for r in raws]), 2) >= bar

        guess = _decay_guess(as_of, h, sum(raws), bar - 0.005)
        stepped = _stepped_guess(raws, math.inf, bar, f(guess))
        out.append(first_failing_second(engaged, as_of, as_of + h * -math.log2(stepped) if stepped else guess))
    return out


def _sql_times(active: list[ContactEval], ruleset: Ruleset, as_of: float) -> list[float | None]:
    """When the newest intent signal leaves `sql.intent_window_days` (age compared at 0.01 day, as
    the engine does)."""
    intents = [e.latest_intent[1] for e in active if e.latest_intent]
    if not intents:
        return []
    at, window = max(intents), ruleset.sql.intent_window_days
    return [first_failing_second(lambda t: round((t - at) / SECONDS_PER_DAY, 2) <= window, as_of,
                                 at + (window + 0.005) * SECONDS_PER_DAY)]


def _role_times(bc: BuyingCenter, ruleset: Ruleset, as_of: float) -> list[float | None]:
    """When each covered required role loses its last contact engaged within the window."""
    window = ruleset.sql.role_engagement_days * SECONDS_PER_DAY
    out: list[float | None] = []
    for role in bc.required:
        lasts = [c.last_engaged_at for c in bc.covered.get(role, ()) if c.last_engaged_at is not None]
        if lasts:
            last = max(lasts)

            def in_window(t: float, last: float = last) -> bool:
                return t - last <= window

            out.append(first_failing_second(in_window, as_of, last + window))
    return out


def next_change(
    snapshot: AccountSnapshot, *, stage: str, computed: str, held: bool, hold_ref: float | None,
    active: list[ContactEval], bc: BuyingCenter, disqualified_domain: bool, ruleset: Ruleset, as_of: float,
    intent_from: list[ContactEval] | None = None,
) -> float | None:
    """The first whole epoch second after `as_of` at which evaluating the account again, with no new
    data, can give another outcome (stage, hold, missing roles); None if never. `stage` is the stage
    decided at `as_of`, `computed` the highest whose bar passes, `hold_ref` the moment the hold is
    measured from when `held`; `active` the contacts whose engagement counts, `intent_from` those whose
    intent counts for the SQL gate shown (a buying group's members; default: `active`). `evaluate`
    calls it; `Qualification.requalify_at` is the answer."""
    if stage not in AUTOMATIC_STAGES or disqualified_domain:
        return None  # people's stages and nurture do not move with time; a bad domain is no decay
    times: list[float | None] = []
    if held:  # the stage stays until the hold ends, whatever else fades meanwhile
        if hold_ref is not None:
            hold = ruleset.stages.hold_days * SECONDS_PER_DAY
            times.append(first_failing_second(lambda t: t - hold_ref < hold, as_of, hold_ref + hold))
    else:
        times.extend(_engagement_times([e.raw for e in active if e.raw > 0], ruleset, as_of, computed))
        if computed == "sql":
            times.extend(_sql_times(active if intent_from is None else intent_from, ruleset, as_of))
    times.extend(_role_times(bc, ruleset, as_of))
    times.extend(float(math.ceil(b.at)) for b in snapshot.bant if b.at > as_of)  # recorded ahead of time
    found = [t for t in times if t is not None]
    return min(found) if found else None
