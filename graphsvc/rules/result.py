"""What the engine returns: `Qualification` and its parts, frozen, with `to_dict()` for JSON.

The JSON keys `stage`, `scores`, `mqa.passed`, `mqa.checks`, `sql.passed`, `sql.checks`,
`buying_center.required`, `buying_center.missing` and `next_action` are a public contract
(issue 3): clients rely on them, so rename nothing here without a migration.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from .frozen import fast_init
from .vocabulary import AUTOMATIC_STAGES

_SCALARS = frozenset({str, int, float, bool, type(None)})
_FIELDS: dict[type, tuple[str, ...]] = {}  # field names per dataclass: fields() is slow per call


def to_jsonable(value: Any) -> Any:
    """Dataclasses -> dicts, tuples -> lists, recursively; scalars unchanged.

    A readiness answer has ~800 values: scalars are recognised by exact type before any call, so
    only containers recurse (the walk was a sixth of the readiness route's own CPU in a profile)."""
    t = type(value)
    if t in _SCALARS:
        return value
    if t is dict:
        return {k if type(k) is str else str(k): v if type(v) in _SCALARS else to_jsonable(v)
                for k, v in value.items()}
    if t is tuple or t is list:
        return [v if type(v) in _SCALARS else to_jsonable(v) for v in value]
    names = _FIELDS.get(t)
    if names is None and dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = _FIELDS.setdefault(t, tuple(f.name for f in dataclasses.fields(value)))
    if names is not None:
        return {n: v if type(v := getattr(value, n)) in _SCALARS else to_jsonable(v) for n in names}
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    return value


@fast_init
@dataclass(frozen=True, slots=True)
class Check:
    """One decision: the value seen, the bar, pass/fail and a sentence."""

    name: str
    passed: bool
    value: Any
    threshold: Any
    detail: str = ""


@fast_init
@dataclass(frozen=True, slots=True)
class Gate:
    passed: bool
    checks: tuple[Check, ...]

    def check(self, name: str) -> Check:
        return next(c for c in self.checks if c.name == name)


@fast_init
@dataclass(frozen=True, slots=True)
class Scores:
    fit: float  # account fit, 0-100
    engagement: float  # sum of the non-disqualified contacts' decayed engagement, uncapped
    mqa_score: float  # the same with each contact capped at mqa.per_contact_cap


@fast_init
@dataclass(frozen=True, slots=True)
class ContactRole:
    role: str
    source: str
    confidence: float
    counts: bool


@fast_init
@dataclass(frozen=True, slots=True)
class ContactResult:
    id: str
    name: str | None
    title: str | None
    engagement: float  # decayed points, floored at 0
    fit: float
    mql: bool
    disqualified: bool
    disqualified_reason: str | None  # "competitor" | "student" | "free_mail" | "status:<status>"
    last_engaged_at: float | None  # newest activity worth >= sql.role_engagement_min_points
    roles: tuple[ContactRole, ...] = ()


@fast_init
@dataclass(frozen=True, slots=True)
class Coverage:
    contact_id: str
    source: str
    confidence: float
    last_engaged_at: float | None
    account_id: str | None = None  # where the contact sits when it is a parent account's (issue 15)
    account_name: str | None = None  # that parent account's name


@fast_init
@dataclass(frozen=True, slots=True)
class Candidate:
    contact_id: str
    name: str | None
    title: str | None
    source: str
    confidence: float
    counts: bool  # the role source/confidence would count once the person engages
    engaged: bool  # engaged within sql.role_engagement_days
    last_engaged_at: float | None
    intro_path: tuple[str, ...] | None  # REPORTS_TO path from an engaged contact (None when engaged themselves)
    note: str  # what stands between this candidate and covering the role


@fast_init
@dataclass(frozen=True, slots=True)
class BuyingCenter:
    required: tuple[str, ...]
    covered: dict[str, tuple[Coverage, ...]]  # every role with a counting, engaged contact
    missing: tuple[str, ...]  # required roles not covered
    unengaged: tuple[str, ...]  # missing roles whose counting contacts did not engage in window
    candidates: dict[str, tuple[Candidate, ...]]  # per missing role
    engaged: tuple[str, ...] = ()  # contacts engaged within sql.role_engagement_days: who can introduce


@fast_init
@dataclass(frozen=True, slots=True)
class NextAction:
    action: str
    why: str
    due_at: float | None = None  # SLA deadline (epoch seconds) for act_on_sql / MQA follow-ups


@fast_init
@dataclass(frozen=True, slots=True)
class TopContact:
    contact_id: str
    name: str | None
    title: str | None
    engagement: float
    contribution: float  # capped share of the MQA score


@fast_init
@dataclass(frozen=True, slots=True)
class TopActivity:
    contact_id: str
    type: str
    at: float
    count: int
    points: float  # decayed points contributed


@fast_init
@dataclass(frozen=True, slots=True)
class GroupResult:
    """One buying group's SQL gate (issue 15): its own required roles, coverage, intent and BANT."""

    name: str
    kind: str | None
    passed: bool  # its SQL gate passed
    members: tuple[str, ...]  # contacts holding a role in it (the default group: every contact)
    required: tuple[str, ...]
    missing: tuple[str, ...]
    covered: dict[str, tuple[str, ...]]  # role -> covering contact ids
    sql: Gate


@fast_init
@dataclass(frozen=True, slots=True)
class HierarchyContact:
    """A contact of another account of the hierarchy that took part in this account's answer (issue 15)."""

    contact_id: str
    name: str | None
    account_id: str
    account_name: str | None
    relation: str  # "parent" (covers roles) | "subsidiary" (engagement rolled up)
    engagement: float
    counted: bool  # its engagement counted towards this account's MQA (subsidiaries under roll_up)
    covers: tuple[str, ...] = ()  # roles it covers here


@fast_init
@dataclass(frozen=True, slots=True)
class Qualification:
    account_id: str
    stage: str
    previous_stage: str
    changed: bool
    reason: str
    held: bool  # stage kept only because of the hold period
    qualified_at: float | None  # what the store should write as Account.qualified_at
    scores: Scores
    mqa: Gate
    sql: Gate
    contacts: tuple[ContactResult, ...]
    buying_center: BuyingCenter
    next_action: NextAction
    top_contacts: tuple[TopContact, ...]
    top_activities: tuple[TopActivity, ...]
    ruleset_version: str
    as_of: float
    # Issue 15. `groups`: every buying group's gate; `group`: the one `sql` and `buying_center` show
    # (the one that qualified, else the closest); `qualified_group`: the group whose gate passed.
    # `hierarchy`: the other accounts' contacts used. Left out of the JSON when the account has only
    # the default group / no such contacts, so its answer is what it was before.
    groups: tuple[GroupResult, ...] = ()
    group: str = "default"
    qualified_group: str | None = None
    hierarchy: tuple[HierarchyContact, ...] = ()
    # Issue 10: the first whole epoch second at which, with no new data, evaluating again can give
    # another outcome (decay below a bar, a window expiring, a hold running out); None: never.
    requalify_at: float | None = None
    # False: evaluated with explain=False (a store write), so contacts, top_contacts and
    # top_activities were not built and are empty whatever the account has.
    explained: bool = True

    @property
    def qualified_until(self) -> float | None:
        """What the store keeps as Account.qualified_until: requalify_at when the stage's bar passes
        now (an automatic stage, not held), else None."""
        return self.requalify_at if not self.held and self.stage in AUTOMATIC_STAGES else None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = to_jsonable(self)
        if len(self.groups) <= 1 and self.group == "default":
            del out["groups"], out["group"], out["qualified_group"]
        if not self.hierarchy:
            del out["hierarchy"]
        if self.explained:  # the API's answers always are: keep their JSON as it was
            del out["explained"]
        return out
