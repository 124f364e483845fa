"""What the rules engine sees of an account: plain, frozen data, no I/O.

The store builds one `AccountSnapshot` per account in one query; the engine decides on it alone.
Engagement arrives pre-aggregated per (contact, activity type) as `ActivityStat`s so a full
requalification does not have to move every activity row out of the database. Exponential decay
makes that exact: the decayed points of a contact are `sum(points[type] * stat.decay_weight)`.
`summarize()` computes the same aggregates from raw activities, so the two paths can be compared.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .frozen import fast_init
from .vocabulary import INITIAL_STAGE

SECONDS_PER_DAY = 86_400.0


@fast_init
@dataclass(frozen=True, slots=True)
class Activity:
    """One activity, as stored. `at` is epoch seconds."""

    id: str
    type: str
    at: float
    contact_id: str = ""
    asset: str | None = None
    campaign: str | None = None


@fast_init
@dataclass(frozen=True, slots=True)
class ActivityStat:
    """All activities of one type by one contact at or before `as_of`."""

    type: str
    count: int
    last_at: float  # epoch seconds of the newest one
    decay_weight: float  # sum over the activities of 0.5 ** ((as_of - at) / half_life_seconds)


@fast_init
@dataclass(frozen=True, slots=True)
class RoleAssignment:
    """A contact's buying role (MEMBER_OF a BuyingGroup)."""

    role: str
    source: str  # "sales" | "import" | "inferred"
    confidence: float = 1.0
    buying_group: str = "default"
    at: float | None = None


@fast_init
@dataclass(frozen=True, slots=True)
class ContactSnapshot:
    id: str
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    title: str | None = None
    seniority: str | None = None
    department: str | None = None
    status: str | None = None
    reports_to: str | None = None
    roles: tuple[RoleAssignment, ...] = ()
    stats: tuple[ActivityStat, ...] = ()
    account_id: str | None = None  # set on a parent's or subsidiary's contact (AccountSnapshot.inherited, .rolled_up)
    account_name: str | None = None  # that account's name (issue 15: readiness says where a contact sits)


@fast_init
@dataclass(frozen=True, slots=True)
class GroupInfo:
    """A buying group of the account (issue 15): one per initiative, opportunity or product line."""

    name: str
    kind: str | None = None  # product line / initiative type: `[[sql.extra_roles]] kind` rules match it


@fast_init
@dataclass(frozen=True, slots=True)
class BantEntry:
    """One BANT field as sales last recorded it for a buying group (issue 15)."""

    group: str  # the buying group's name ("default" for the account's default group)
    field: str  # budget | authority | need | timeline
    met: bool
    by: str = ""
    at: float = 0.0  # epoch seconds it was recorded
    note: str = ""


@dataclass(frozen=True, slots=True)
class AccountSnapshot:
    id: str
    name: str | None = None
    domain: str | None = None
    industry: str | None = None
    employees: int | None = None
    annual_revenue: float | None = None
    country: str | None = None
    segment: str | None = None
    stage: str = INITIAL_STAGE
    stage_since: float | None = None  # epoch seconds of the last stage change
    stage_actor: str | None = None  # "rules@<version>" or a user
    qualified_at: float | None = None  # last evaluation at which the current stage's bar passed
    # Issue 10: the last evaluation found the stage's bar passing and nothing changing before this
    # time (its requalify_at): the bar is known to have passed until then, the hold counts from it.
    qualified_until: float | None = None
    # The ruleset version whose evaluation wrote qualified_until: another ruleset (a candidate being
    # simulated, or just activated) cannot use its "known to pass until", only the evaluations' times.
    qualified_by: str | None = None
    contacts: tuple[ContactSnapshot, ...] = field(default_factory=tuple)
    bant: tuple[BantEntry, ...] = ()  # only read when the ruleset requires BANT
    # Contacts of the parent accounts holding a role of `hierarchy.parent_roles` (only read when the
    # ruleset has some): they may cover those roles here, never add engagement.
    inherited: tuple[ContactSnapshot, ...] = ()
    # The account's buying groups beyond `default` (issue 15); groups named only by roles count too.
    groups: tuple[GroupInfo, ...] = ()
    # Contacts of the subsidiaries below (only read with `hierarchy.subsidiary_engagement = "roll_up"`):
    # their engagement counts towards this account's MQA, each person once.
    rolled_up: tuple[ContactSnapshot, ...] = ()


def decay_weight(at: float, as_of: float, half_life_days: float) -> float:
    """Weight of one activity at `as_of`: 1.0 when fresh, 0.5 after one half-life."""
    age = max(0.0, as_of - at)
    return float(0.5 ** (age / (half_life_days * SECONDS_PER_DAY)))


def summarize(
    activities: Iterable[Activity], half_life_days: float, as_of: float
) -> tuple[ActivityStat, ...]:
    """Aggregate raw activities of one contact into per-type stats; ignores anything after as_of."""
    acc: dict[str, list[float]] = {}
    for a in activities:
        if a.at > as_of:
            continue
        slot = acc.setdefault(a.type, [0, a.at, 0.0])
        slot[0] += 1
        slot[1] = max(slot[1], a.at)
        slot[2] += decay_weight(a.at, as_of, half_life_days)
    return tuple(
        ActivityStat(type=t, count=int(c), last_at=last, decay_weight=w)
        for t, (c, last, w) in sorted(acc.items())
    )
