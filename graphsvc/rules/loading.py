"""Loading a ruleset: TOML -> validated `Ruleset`, with *every* problem reported by its path.

`load_ruleset(text)` parses and validates a ruleset and raises `RulesetError` listing each problem
(`sql.intent_window_days`, `roles.rules[3].titles[0]`), which the API turns into a 422. Field-level
rules live on the model (ruleset.py); the checks that span fields live here, after validation.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any

from pydantic import ValidationError

from .routing import routing_errors
from .ruleset import CRM_ROLES, Ruleset, crm_role_key
from .vocabulary import AUTOMATIC_STAGES, ROLE_SOURCES


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
    seen_labels: dict[str, str] = {}
    for label, role in rs.roles.crm_map.items():
        # A default entry whose role a custom vocabulary lacks is left out (an unknown label), not an error.
        if role and role not in vocab and CRM_ROLES.get(crm_role_key(label)) != role:
            err(f"roles.crm_map.{label}", f"unknown role {role!r} (not in roles.vocabulary; \"\" for a label that says nothing)")
        folded = crm_role_key(label)
        if not folded:
            err(f"roles.crm_map.{label}", "an empty label")
        elif folded in seen_labels:
            err(f"roles.crm_map.{label}", f"the same label as {seen_labels[folded]!r} (compared without case, accents, & or _)")
        seen_labels.setdefault(folded, label)
    for i, role in enumerate(rs.hierarchy.parent_roles):
        if role not in vocab:
            err(f"hierarchy.parent_roles[{i}]", f"unknown role {role!r} (not in roles.vocabulary)")
    for i, bant in enumerate(rs.sql.bant_rules):
        if bant.min_employees is not None and bant.max_employees is not None and bant.max_employees <= bant.min_employees:
            err(f"sql.bant_rules[{i}].max_employees", "must be greater than min_employees")
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
    errs.extend(routing_errors(rs))  # issue 12: [routing]
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
