"""Builders for engine tests: accounts, contacts and activities relative to a fixed `NOW`.

Activities are given as (type, days_ago) and aggregated with `summarize()` exactly as the store's
pre-aggregated stats would be, so tests read like the story they tell.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Iterable, Sequence

from graphsvc.rules import default_ruleset, load_ruleset
from graphsvc.rules.snapshot import (
    AccountSnapshot,
    Activity,
    ActivityStat,
    ContactSnapshot,
    RoleAssignment,
    summarize,
)

DAY = 86_400.0
NOW = 1_767_225_600.0  # 2026-01-01T00:00:00Z; the engine never reads a clock, neither do the tests
_ids = itertools.count(1)


def acts(*specs: tuple[str, float]) -> list[Activity]:
    """[("webinar_attended", 7), ...] -> Activities that many days before NOW."""
    return [Activity(id=f"a{next(_ids)}", type=t, at=NOW - days * DAY) for t, days in specs]


def contact(
    cid: str,
    title: str | None = None,
    *,
    activities: Sequence[tuple[str, float]] | Sequence[Activity] = (),
    seniority: str | None = None,
    department: str | None = None,
    email: str | None = None,
    roles: Iterable[RoleAssignment] = (),
    reports_to: str | None = None,
    status: str | None = None,
    first_name: str | None = None,
    last_name: str | None = None,
    as_of: float = NOW,
    half_life_days: float = 30.0,
) -> ContactSnapshot:
    raw = [a if isinstance(a, Activity) else acts(a)[0] for a in activities]
    raw = [Activity(a.id, a.type, a.at, cid, a.asset, a.campaign) for a in raw]
    return ContactSnapshot(
        id=cid,
        email=email if email is not None else f"{cid}@acme.example",
        first_name=first_name,
        last_name=last_name,
        title=title,
        seniority=seniority,
        department=department,
        status=status,
        reports_to=reports_to,
        roles=tuple(roles),
        stats=summarize(raw, half_life_days, as_of),
    )


def account(*contacts: ContactSnapshot, **fields) -> AccountSnapshot:
    """An ICP account by default: semiconductors, 400 people, 80M revenue, Germany (fit 93)."""
    base = dict(
        id="acc1",
        name="Acme Semiconductors",
        domain="acme.example",
        industry="semiconductors",
        employees=400,
        annual_revenue=80_000_000.0,
        country="DE",
        stage="target",
    )
    base.update(fields)
    return AccountSnapshot(contacts=tuple(contacts), **base)


def ruleset_with(patch: str):
    """The default ruleset with a partial TOML document laid over it."""
    return load_ruleset(patch, merge_defaults=True)


RS = default_ruleset()

# The seed stories, as activity lists (days before NOW).
WEBINAR_AND_FORM = [
    ("webinar_registered", 10), ("webinar_attended", 7), ("form_submitted", 5),
    ("page_view", 9), ("page_view", 6), ("page_view", 5),
]
RESEARCHING_ENGINEER = [
    ("webinar_registered", 21), ("webinar_attended", 18), ("content_download", 14), ("content_download", 6),
    ("capability_page_view", 12), ("capability_page_view", 8), ("capability_page_view", 3),
]
ENGAGED_VP = [("webinar_registered", 20), ("webinar_attended", 18), ("pricing_page_view", 4), ("pricing_page_view", 2)]


def engaged(
    cid: str,
    engagement: float,
    title: str | None = None,
    *,
    days_ago: float = 1.0,
    type: str = "content_download",
    **kw,
) -> ContactSnapshot:
    """A contact with exactly `engagement` decayed points from one activity type last seen
    `days_ago` (an aggregated stat whose decay weight is engagement / points[type])."""
    weight = engagement / RS.activities.points[type]
    stat = ActivityStat(type=type, count=max(1, math.ceil(weight)), last_at=NOW - days_ago * DAY, decay_weight=weight)
    base = contact(cid, title, **kw)
    return dataclasses.replace(base, stats=(stat, *base.stats))
