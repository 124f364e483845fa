"""The ruleset: the marketing–sales agreement as a validated, versioned document.

A ruleset is TOML (see `default_ruleset.toml`, which documents every knob). `load_ruleset(text)`
parses and validates it and raises `RulesetError` carrying *every* problem with its path
(`sql.intent_window_days`, `roles.rules[3].titles[0]`), which the API turns into a 422.
`Ruleset.version` is the first 12 hex digits of the sha256 of the canonical JSON of the validated
model: comments, key order and `30` vs `30.0` do not change it, any content change does.

Compiled regular expressions and small caches live in private attributes so the engine pays for
them once per ruleset, not once per contact.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

from .vocabulary import AUTOMATIC_STAGES, ROLE_SOURCES


# ----------------------------------------------------------------------------------- helpers
def normalize_key(value: str | None) -> str:
    """Lower case, accents stripped, runs of anything but letters/digits -> "_" ("R&D" -> "r_d")."""
    if not value:
        return ""
    return re.sub(r"[^a-z0-9]+", "_", fold(value)).strip("_")


def fold(value: str) -> str:
    """Case-fold and strip accents: "Prüfingenieur" -> "prufingenieur", "Opérations" -> "operations"."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalize_title(title: str | None) -> str:
    """The form title patterns are written against: folded, punctuation -> single spaces ("&" kept)."""
    if not title:
        return ""
    return re.sub(r"[^a-z0-9&]+", " ", fold(title)).strip()


def _check_regex(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"invalid regular expression: {exc}") from None
    return pattern


Regex = Annotated[str, AfterValidator(_check_regex)]
# Every number of a ruleset feeds arithmetic the engine and the store do (decay, sums, bars) and is
# stored: finite (no inf, nan) and within bounds no real agreement needs to leave, so no ruleset
# can make an evaluation produce a non-finite or unstorable number.
MAX_POINTS = 1e6  # per activity, title, seniority, industry ...: real ones are below 100
MAX_SCORE = 1e9  # thresholds and caps of engagement and fit
MAX_DAYS = 36_500.0  # windows, holds and half-lives: a century
Points = Annotated[float, Field(ge=-MAX_POINTS, le=MAX_POINTS)]
NonNegative = Annotated[float, Field(ge=0, le=MAX_SCORE)]
Positive = Annotated[float, Field(gt=0, le=MAX_SCORE)]
Days = Annotated[float, Field(gt=0, le=MAX_DAYS)]
Confidence = Annotated[float, Field(ge=0, le=1)]
Bound = Annotated[float, Field(ge=0, le=1e18)]  # employee and revenue bands (revenue in any currency)
Count = Annotated[int, Field(ge=0, le=2**63 - 1)]


class _Model(BaseModel):
    # extra="forbid": a typo ("window_day") is an error with its path, not a silently ignored key.
    # strict: `true` or "30" is not a number; allow_inf_nan=False: TOML's inf and nan are refused.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


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


class Roles(_Model):
    vocabulary: list[str]
    infer: bool = True
    candidate_min_confidence: Confidence = 0.3
    exclude_titles: list[Regex] = []
    rules: list[RoleRule] = []


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
    min_employees: Count | None = None
    max_employees: Count | None = None
    roles: list[str]


class Sql(_Model):
    intent_window_days: Days = 30.0
    role_engagement_days: Days = 90.0
    role_engagement_min_points: Points = 0.0
    required_roles: list[str] = ["decision_maker"]
    extra_roles: list[ExtraRoles] = []
    role_sources: dict[str, Confidence] = {"sales": 0.0, "import": 0.0, "inferred": 0.7}


class Sla(_Model):
    sql_hours: Annotated[float, Field(gt=0, le=MAX_DAYS * 24)] = 24.0
    mqa_hours: Annotated[float, Field(gt=0, le=MAX_DAYS * 24)] = 72.0


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
    transitions: Transitions

    _version: str | None = PrivateAttr(default=None)
    _compiled: Any = PrivateAttr(default=None)

    @property
    def version(self) -> str:
        """Short content hash: sha256 of the canonical JSON of the validated model, 12 hex digits."""
        private: dict[str, Any] = self.__pydantic_private__  # type: ignore[assignment]  # direct: pydantic's
        # __getattr__ is slow on hot paths; always a dict once the model is built
        if private["_version"] is None:
            canonical = json.dumps(
                self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=False
            )
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
        # Titles, seniorities and e-mail domains repeat a lot across contacts: memoise per ruleset
        # (bounded by CACHE_LIMIT entries each; past it, results are computed without caching).
        self.role_cache: dict[tuple[str, str], tuple[tuple[str, float], ...]] = {}
        self.fit_cache: dict[tuple[str | None, str | None, str | None], tuple[float, dict[str, float]]] = {}
        self.domain_cache: dict[str, str | None] = {}


CACHE_LIMIT = 100_000


def _clean_domain(domain: str) -> str:
    return domain.strip().lower().lstrip("@").rstrip(".")


# ----------------------------------------------------------------------------------- errors
class RulesetError(ValueError):
    """A ruleset that cannot be used; `errors` lists every problem as {"path", "message"}."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        self.errors = errors
        lines = "; ".join(f"{e['path'] or '<document>'}: {e['message']}" for e in errors)
        super().__init__(f"invalid ruleset ({len(errors)} error{'s' * (len(errors) != 1)}): {lines}")


def _path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


# ----------------------------------------------------------------------------------- cross-field checks
# Each problem is reported with the path of the offending value, in the same form as pydantic's
# errors (`sql.extra_roles[0].roles[1]`), so the API's 422 lists them all together.
def semantic_errors(rs: Ruleset) -> list[dict[str, str]]:
    """Cross-field rules pydantic's per-field validation cannot see."""
    errs: list[dict[str, str]] = []

    def err(path: str, message: str) -> None:
        errs.append({"path": path, "message": message})

    points = rs.activities.points
    for i, t in enumerate(rs.activities.intent):
        if t not in points:
            err(f"activities.intent[{i}]", f"intent type {t!r} has no points in activities.points")
    vocab = set(rs.roles.vocabulary)
    if len(vocab) != len(rs.roles.vocabulary):
        err("roles.vocabulary", "duplicate role names")
    for i, r in enumerate(rs.roles.rules):
        if r.role not in vocab:
            err(f"roles.rules[{i}].role", f"unknown role {r.role!r} (not in roles.vocabulary)")
        if not r.titles and not r.seniority:
            err(f"roles.rules[{i}]", "a rule needs titles, seniority or both")
    for i, role in enumerate(rs.sql.required_roles):
        if role not in vocab:
            err(f"sql.required_roles[{i}]", f"unknown role {role!r} (not in roles.vocabulary)")
    for i, extra in enumerate(rs.sql.extra_roles):
        for j, role in enumerate(extra.roles):
            if role not in vocab:
                err(f"sql.extra_roles[{i}].roles[{j}]", f"unknown role {role!r} (not in roles.vocabulary)")
        if (
            extra.min_employees is not None
            and extra.max_employees is not None
            and extra.max_employees <= extra.min_employees
        ):
            err(f"sql.extra_roles[{i}].max_employees", "must be greater than min_employees")
    for source in rs.sql.role_sources:
        if source not in ROLE_SOURCES:
            err(f"sql.role_sources.{source}", f"unknown role source (expected one of {', '.join(ROLE_SOURCES)})")
    for name in ("seniority_aliases", "department_aliases"):
        table = rs.contact_fit.seniority if name == "seniority_aliases" else rs.contact_fit.department
        for alias, target in getattr(rs.contact_fit, name).items():
            if target not in table:
                err(f"contact_fit.{name}.{alias}", f"alias target {target!r} is not a key of the table")
    for name in ("employee_bands", "revenue_bands"):
        bands = getattr(rs.account_fit, name)
        for i, b in enumerate(bands):
            if b.max is not None and b.max <= b.min:
                err(f"account_fit.{name}[{i}].max", "must be greater than min")
        order = sorted(range(len(bands)), key=lambda k: bands[k].min)
        for a, b in zip(order, order[1:]):
            upper = bands[a].max
            if upper is None or upper > bands[b].min:
                err(f"account_fit.{name}[{b}]", f"overlaps account_fit.{name}[{a}]")
    stage_names = set(AUTOMATIC_STAGES)
    for i, s in enumerate(rs.transitions.accept_from):
        if s not in stage_names:
            err(f"transitions.accept_from[{i}]", f"{s!r} is not an automatic stage ({', '.join(sorted(stage_names))})")
    if not rs.transitions.reject_reasons:
        err("transitions.reject_reasons", "at least one reject reason is required")
    return errs


# ----------------------------------------------------------------------------------- loading
def _unstorable_strings(value: Any, path: tuple[Any, ...] = ()) -> list[dict[str, str]]:
    """Names and texts of a ruleset end up in the store (roles, reasons, missing roles): a NUL byte
    (TOML can spell it "\\u0000") cuts a string short on FalkorDB, so refuse it with its path."""
    if isinstance(value, str):
        return [{"path": _path(path), "message": "must not contain a NUL byte (\\u0000)"}] if "\x00" in value else []
    errors: list[dict[str, str]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in str(key):
                errors.append({"path": _path((*path, key)), "message": "a key must not contain a NUL byte (\\u0000)"})
            errors.extend(_unstorable_strings(item, (*path, key)))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            errors.extend(_unstorable_strings(item, (*path, i)))
    return errors


def ruleset_from_data(data: dict[str, Any], *, lenient_types: bool = False) -> Ruleset:
    """Validate already-parsed data (e.g. JSON); raises RulesetError with every error.

    `lenient_types` accepts `2.0` for 2 and `"1"` for 1.0, as earlier versions did: only for
    re-reading a ruleset that was stored (activated) before types were strict."""
    try:
        rs = Ruleset.model_validate(data, strict=False if lenient_types else None)
    except ValidationError as exc:
        raise RulesetError(
            [{"path": _path(e["loc"]), "message": e["msg"]} for e in exc.errors(include_url=False)]
        ) from None
    errors = _unstorable_strings(data) + semantic_errors(rs)
    if errors:
        raise RulesetError(errors)
    return rs


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value  # scalars and arrays (including arrays of tables) replace
    return out


def load_ruleset(text: str, *, merge_defaults: bool = False, lenient_types: bool = False) -> Ruleset:
    """Parse and validate a TOML ruleset.

    With `merge_defaults`, `text` may be a partial document laid over the default ruleset (tables
    merge key by key, arrays replace), e.g. just `[mqa]\\nmin_score = 120`.
    Raises `RulesetError` (a ValueError) listing every error with its path.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesetError([{"path": "", "message": f"TOML syntax error: {exc}"}]) from None
    except RecursionError:  # tomllib recurses per nesting level: 5,000 nested arrays exhaust the stack
        raise RulesetError([{"path": "", "message": "the TOML nests too deep to be a ruleset"}]) from None
    if merge_defaults:
        data = _merge(_default_data(), data)
    return ruleset_from_data(data, lenient_types=lenient_types)


def ruleset_errors(text: str, *, merge_defaults: bool = False) -> list[dict[str, str]]:
    """Every problem of a TOML ruleset as [{"path", "message"}]; empty when it is valid."""
    try:
        load_ruleset(text, merge_defaults=merge_defaults)
    except RulesetError as exc:
        return exc.errors
    return []


def default_ruleset_text() -> str:
    return resources.files(__package__).joinpath("default_ruleset.toml").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _default_data() -> dict[str, Any]:
    return tomllib.loads(default_ruleset_text())


@lru_cache(maxsize=1)
def default_ruleset() -> Ruleset:
    """The ruleset shipped in the package (validated once, shared: rulesets are immutable)."""
    return load_ruleset(default_ruleset_text())
