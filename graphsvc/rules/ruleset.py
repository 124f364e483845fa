"""The ruleset: the marketing–sales agreement as a validated, versioned document.

A ruleset is TOML (see `default_ruleset.toml`, which documents every knob); this module is its
model, field by field. `loading.py` parses it, runs the checks that span fields, and reports every
problem with its path (`RulesetError`), which the API turns into a 422.
`Ruleset.version` is the first 12 hex digits of the sha256 of the canonical JSON of the validated
model: comments, key order and `30` vs `30.0` do not change it, any content change does.

Compiled regular expressions and small caches live in private attributes so the engine pays for
them once per ruleset, not once per contact.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, Field, PrivateAttr

from .ruleset_fields import (
    MAX_DAYS,
    Bound,
    Confidence,
    Count,
    Days,
    NonNegative,
    Points,
    Positive,
    Regex,
    _Model,
    fold,
    normalize_key,
)


# ----------------------------------------------------------------------------------- sections
class Activities(_Model):
    # At least ~15 minutes: shorter is no decay model anyone means, and the store divides by it.
    half_life_days: Annotated[float, Field(ge=0.01, le=MAX_DAYS)] = 30.0
    points: dict[str, Points]
    intent: list[str]


class TitlePattern(_Model):
    pattern: Regex
    points: Points


class ContactFit(_Model):
    seniority: dict[str, Points]
    seniority_aliases: dict[str, str] = {}
    department: dict[str, Points]
    department_aliases: dict[str, str] = {}
    unknown_seniority: Points = 0.0
    unknown_department: Points = 0.0
    title_patterns: list[TitlePattern] = []


class IndustryGroup(_Model):
    name: str
    points: Points
    match: list[str]


class Band(_Model):
    min: Bound = 0
    max: Bound | None = None  # exclusive; None = open ended
    points: Points


class Region(_Model):
    name: str
    points: Points
    countries: list[str]


class AccountFit(_Model):
    industries: list[IndustryGroup]
    other_industry_points: Points = 0.0
    employee_bands: list[Band] = []
    revenue_bands: list[Band] = []
    regions: list[Region] = []
    other_country_points: Points = 0.0
    unknown_country_points: Points = 0.0


class Disqualifiers(_Model):
    competitor_domains: list[str] = []
    free_mail_domains: list[str] = []
    student_domain_suffixes: list[str] = []
    student_domain_patterns: list[Regex] = []
    contact_statuses: list[str] = []


class RoleRule(_Model):
    role: str
    confidence: Confidence
    titles: list[Regex] = []
    seniority: list[str] = []


def crm_role_key(label: str) -> str:
    """A CRM role label compared loosely: case, accents, `&` / "and", `_`, `-` and spacing do not
    matter ("LEGAL_AND_COMPLIANCE", "Legal & Compliance" -> "legal and compliance")."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(label).replace("&", " and ")).split())


# CRM role labels -> buying roles (`roles.crm_map`): Salesforce OpportunityContactRole.Role picklist
# values and HubSpot's "Buying Role" (hs_buying_role) options, labels and internal values alike
# (the keys are compared through `crm_role_key`). "" means the label says nothing (Other).
CRM_ROLES: dict[str, str] = {
    # Salesforce OpportunityContactRole
    "decision maker": "decision_maker", "economic buyer": "economic_buyer", "economic decision maker": "economic_buyer",
    "evaluator": "technical_evaluator", "executive sponsor": "decision_maker", "influencer": "influencer",
    "technical buyer": "technical_evaluator", "business user": "end_user", "other": "",
    # HubSpot Buying Role (DECISION_MAKER, BUDGET_HOLDER, ... and their labels)
    "budget holder": "economic_buyer", "champion": "champion", "end user": "end_user", "blocker": "blocker",
    "legal and compliance": "legal",
    # the vocabulary's own names, as a CRM custom picklist may carry them
    "technical evaluator": "technical_evaluator", "procurement": "procurement", "legal": "legal",
}


class Roles(_Model):
    vocabulary: list[str]
    infer: bool = True
    candidate_min_confidence: Confidence = 0.3
    exclude_titles: list[Regex] = []
    rules: list[RoleRule] = []
    # CRM role label -> role of the vocabulary ("" = says nothing); used by imports (issue 11).
    crm_map: dict[str, str] = CRM_ROLES


class Mql(_Model):
    min_engagement: NonNegative
    min_fit: NonNegative


class Stages(_Model):
    engaged_min_engagement: Positive = 0.5
    hold_days: Annotated[float, Field(ge=0, le=MAX_DAYS)] = 14.0


class Mqa(_Model):
    per_contact_cap: Positive
    min_score: NonNegative
    engaged_contact_min: Positive
    min_engaged_contacts: Annotated[int, Field(ge=0, le=1_000_000)]
    min_fit: NonNegative


class ExtraRoles(_Model):
    segment: str | None = None
    # Issue 15: only for buying groups of this kind (a product line / initiative type, as given when the
    # group was created); None: every group of a matching account, the default group included.
    kind: str | None = None
    min_employees: Count | None = None
    max_employees: Count | None = None
    roles: list[str]


BantField = Literal["budget", "authority", "need", "timeline"]


class BantRule(_Model):
    """BANT fields sales must confirm before SQL for the accounts this rule matches (same conditions
    as `ExtraRoles`)."""

    segment: str | None = None
    kind: str | None = None  # as for ExtraRoles
    min_employees: Count | None = None
    max_employees: Count | None = None
    fields: list[BantField]


class Sql(_Model):
    intent_window_days: Days = 30.0
    role_engagement_days: Days = 90.0
    role_engagement_min_points: Points = 0.0
    required_roles: list[str] = ["decision_maker"]
    extra_roles: list[ExtraRoles] = []
    # BANT (issue 15): fields sales must have recorded as met, for every account and per matching
    # rule. None by default: the SQL gate is then exactly what it was before BANT existed.
    bant: list[BantField] = []
    bant_rules: list[BantRule] = []
    role_sources: dict[str, Confidence] = {"sales": 0.0, "import": 0.0, "inferred": 0.7}


def _check_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r} (an IANA name such as Europe/Berlin)") from None
    return name


def _check_business_hours(hours: list[int] | None) -> list[int] | None:
    if hours is not None and not (len(hours) == 2 and 0 <= hours[0] < hours[1] <= 24):
        raise ValueError("business_hours is [start, end]: whole hours, 0 <= start < end <= 24")
    return hours


SlaHours = Annotated[float, Field(gt=0, le=MAX_DAYS * 24)]
class Hierarchy(_Model):
    """Coverage over SUBSIDIARY_OF (issue 15): the roles a parent account's people may cover for its
    subsidiaries (a group CFO as economic buyer, yes; a plant engineer, no). Only roles recorded on
    them (sales or import, not inferred from titles) count, through at most `max_levels` parents.
    None by default. Their engagement never adds to the subsidiary's: no double counting."""

    parent_roles: list[str] = []
    max_levels: Annotated[int, Field(ge=1, le=5)] = 5
    # "roll_up": the engagement of the subsidiaries' people (up to max_levels below) counts towards a
    # parent's engagement, MQA score and engaged contacts, each person once however many paths reach them.
    subsidiary_engagement: Literal["none", "roll_up"] = "none"


class Groups(_Model):
    """Buying groups per initiative (issue 15). Each group of an account has its own coverage (the roles
    held in it), required roles (`[[sql.extra_roles]]` with `kind`), BANT and SQL gate; the account is
    an SQL when one group's gate passes. `intent = "members"`: a group other than `default` needs an
    intent signal from one of its own members; "account": any contact's counts, as for `default`."""

    intent: Literal["members", "account"] = "members"


def _without_group_defaults(data: dict[str, Any]) -> None:
    """Issue 15's keys left at their defaults leave a ruleset's version as it was before them: an unset
    rule `kind`, `[groups]` as default, `subsidiary_engagement = "none"` (a default `[hierarchy]` as a
    whole is left out by `Ruleset.version` itself)."""
    for rule in [*data["sql"]["extra_roles"], *data["sql"]["bant_rules"]]:
        if rule.get("kind") is None:
            rule.pop("kind", None)
    if data["groups"] == Groups().model_dump(mode="json"):
        del data["groups"]
    if data["hierarchy"] != Hierarchy().model_dump(mode="json") and data["hierarchy"]["subsidiary_engagement"] == "none":
        del data["hierarchy"]["subsidiary_engagement"]


class Sla(_Model):
    sql_hours: SlaHours = 24.0
    mqa_hours: SlaHours = 72.0
    # A reminder event this many SLA hours before the due time (0: none).
    reminder_hours: Annotated[float, Field(ge=0, le=MAX_DAYS * 24)] = 4.0
    # With business_hours, SLA hours count only inside [start, end) local time on business_days
    # (ISO weekdays, 1 = Monday) in `timezone`; without, they are wall-clock hours.
    timezone: Annotated[str, AfterValidator(_check_timezone)] = "UTC"
    business_hours: Annotated[list[int] | None, AfterValidator(_check_business_hours)] = None
    business_days: Annotated[list[Annotated[int, Field(ge=1, le=7)]], Field(min_length=1)] = [1, 2, 3, 4, 5]



class RoutingTeam(_Model):
    """Issue 12: a team of owners; `round_robin` takes turns (the turn kept in the graph),
    `least_loaded` picks the member owning the fewest open (MQA/SQL) accounts, ties in list order."""

    name: str
    members: Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=1)]
    strategy: Literal["round_robin", "least_loaded"] = "round_robin"


class RoutingRule(_Model):
    """Matches when every condition given holds (each list: any of its values); no condition: every
    account. Assigns `owner`, or a member of `team`."""

    name: str
    countries: list[str] = []  # ISO codes or names, case-insensitive
    regions: list[str] = []  # names of account_fit.regions (the region the account's country is in)
    segments: list[str] = []
    industries: list[str] = []  # the account's industry or its account_fit.industries group name
    accounts: list[str] = []  # named accounts: ids ...
    domains: list[str] = []  # ... or domains (a subdomain matches too)
    owner: str | None = None
    team: str | None = None


class Routing(_Model):
    """Owner routing when an account reaches one of `stages` (off by default: no rules)."""

    stages: list[Literal["mqa", "sql"]] = ["mqa", "sql"]
    keep_current_owner: bool = True
    rules: list[RoutingRule] = []
    teams: list[RoutingTeam] = []


class Transitions(_Model):
    accept_from: list[str] = ["sql"]
    reject_reasons: list[str]
    disqualify_reasons: list[str] = []


class Ruleset(_Model):
    name: str = "unnamed"
    description: str = ""
    activities: Activities
    contact_fit: ContactFit
    account_fit: AccountFit
    disqualifiers: Disqualifiers
    roles: Roles
    mql: Mql
    stages: Stages = Stages()
    mqa: Mqa
    sql: Sql = Sql()
    sla: Sla = Sla()
    hierarchy: Hierarchy = Hierarchy()
    groups: Groups = Groups()
    transitions: Transitions
    routing: Routing = Routing()

    _version: str | None = PrivateAttr(default=None)
    _compiled: Any = PrivateAttr(default=None)

    @property
    def version(self) -> str:
        """Short content hash: sha256 of the canonical JSON of the validated model, 12 hex digits."""
        private: dict[str, Any] = self.__pydantic_private__  # type: ignore[assignment]  # direct: pydantic's
        # __getattr__ is slow on hot paths; always a dict once the model is built
        if private["_version"] is None:
            data = self.model_dump(mode="json")
            _without_group_defaults(data)
            # Without BANT requirements (the default) the hash is the one a ruleset had before BANT
            # existed: upgrading changes no ruleset's version.
            if not data["sql"]["bant"] and not data["sql"]["bant_rules"]:
                del data["sql"]["bant"], data["sql"]["bant_rules"]
            if data["hierarchy"] == Hierarchy().model_dump(mode="json"):
                del data["hierarchy"]
            # The default CRM role table leaves a ruleset's version as it was before the table existed.
            if {crm_role_key(k): v for k, v in data["roles"]["crm_map"].items()} == CRM_ROLES:
                del data["roles"]["crm_map"]
            if data["routing"] == Routing().model_dump(mode="json"):
                del data["routing"]  # no routing (the default): the version it had before routing existed
            canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            private["_version"] = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]
        version: str = private["_version"]
        return version

    @property
    def compiled(self) -> Compiled:
        """Compiled regexes, lookup tables and caches, built once per ruleset object."""
        private: dict[str, Any] = self.__pydantic_private__  # type: ignore[assignment]  # see version
        if private["_compiled"] is None:
            private["_compiled"] = Compiled(self)
        compiled: Compiled = private["_compiled"]
        return compiled

    def to_dict(self) -> dict[str, Any]:
        """JSON form for `GET /v1/rules`: the content plus its version."""
        return {"version": self.version, "ruleset": self.model_dump(mode="json")}


class Compiled:
    """Precomputed forms of a ruleset's patterns and tables (private to the rules package)."""

    def __init__(self, rs: Ruleset) -> None:
        self.title_patterns = [(re.compile(p.pattern), p.points) for p in rs.contact_fit.title_patterns]
        self.exclude_titles = [re.compile(p) for p in rs.roles.exclude_titles]
        self.role_rules = [
            (r.role, r.confidence, [re.compile(t) for t in r.titles], frozenset(r.seniority))
            for r in rs.roles.rules
        ]
        self.student_patterns = [re.compile(p) for p in rs.disqualifiers.student_domain_patterns]
        dq = rs.disqualifiers
        self.competitors = frozenset(_clean_domain(d) for d in dq.competitor_domains)
        self.free_mail = frozenset(_clean_domain(d) for d in dq.free_mail_domains)
        self.student_suffixes = frozenset(_clean_domain(d) for d in dq.student_domain_suffixes)
        self.contact_statuses = frozenset(normalize_key(s) for s in dq.contact_statuses)
        self.industries = {
            normalize_key(m): (g.name, g.points) for g in rs.account_fit.industries for m in g.match
        }
        self.countries = {
            fold(c).strip(): (r.name, r.points) for r in rs.account_fit.regions for c in r.countries
        }
        self.intent = frozenset(rs.activities.intent)
        # A default table entry whose role a custom vocabulary lacks is left out (an unknown label);
        # any other entry's role is in the vocabulary (loading.semantic_errors).
        vocabulary = set(rs.roles.vocabulary)
        self.crm_roles = {crm_role_key(label): role or None for label, role in rs.roles.crm_map.items()
                          if not role or role in vocabulary}
        # Titles, seniorities and e-mail domains repeat a lot across contacts: memoise per ruleset
        # (bounded by CACHE_LIMIT entries each; past it, results are computed without caching).
        self.role_cache: dict[tuple[str, str], tuple[tuple[str, float], ...]] = {}
        self.fit_cache: dict[tuple[str | None, str | None, str | None], tuple[float, dict[str, float]]] = {}
        self.domain_cache: dict[str, str | None] = {}
        # roles.effective_roles of a contact with no stored roles: role -> EffectiveRole (roles.py)
        self.inferred_cache: dict[tuple[str, str], dict[str, Any]] = {}
        # buying_center.required_roles: (segment, employees, group kind) -> roles
        self.required_cache: dict[tuple[str | None, int | None, str | None], tuple[str, ...]] = {}


CACHE_LIMIT = 100_000


def _clean_domain(domain: str) -> str:
    return domain.strip().lower().lstrip("@").rstrip(".")
