"""What changed between two rulesets, in words: `graphsvc rules diff A B`.

Pure: two validated `Ruleset`s in, a list of changes out, each with the path of the knob
(`sql.intent_window_days`), the old and new values and a sentence for people ("The intent window
is wider: 30 -> 45 days"). The comparison is of the validated models, so comments, key order and
`30` vs `30.0` are no change, as for the version hash. Lists of named things (industry groups, role
rules, title patterns, regions) are matched by their name, pattern or role, not by position, so
reordering them is no change and a renamed group is one removal and one addition.
"""

from __future__ import annotations

from typing import Any

from graphsvc.rules import Ruleset

# What a knob means, for the sentence: path -> (noun, unit). Paths not here get a generic sentence.
_KNOBS: dict[str, tuple[str, str]] = {
    "activities.half_life_days": ("engagement half-life", " days"),
    "stages.engaged_min_engagement": ("engagement needed to be `engaged`", " points"),
    "stages.hold_days": ("hold before a stage drops", " days"),
    "mql.min_engagement": ("contact MQL engagement bar", " points"),
    "mql.min_fit": ("contact MQL fit bar", ""),
    "mqa.per_contact_cap": ("cap on each contact's share of the MQA score", " points"),
    "mqa.min_score": ("MQA score bar", " points"),
    "mqa.engaged_contact_min": ("engagement that makes a contact count as engaged for MQA", " points"),
    "mqa.min_engaged_contacts": ("engaged contacts an MQA needs", ""),
    "mqa.min_fit": ("account fit an MQA needs", ""),
    "sql.intent_window_days": ("intent window", " days"),
    "sql.role_engagement_days": ("window in which a buying role must have engaged", " days"),
    "sql.role_engagement_min_points": ("points an activity needs to count as a role's engagement", ""),
    "sla.sql_hours": ("SLA to act on an SQL", " hours"),
    "sla.mqa_hours": ("SLA to act on an MQA", " hours"),
}
_IDENTITY = ("name", "pattern", "role", "segment")  # the key that names an item of a list of tables


def _fmt(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, list):
        return "[" + ", ".join(_fmt(x) for x in v) + "]"
    return str(v)


def _sentence(path: str, old: Any, new: Any) -> str:
    parts = path.split(".")
    if old is None:
        return f"{path} added: {_fmt(new)}"
    if new is None:
        return f"{path} removed (was {_fmt(old)})"
    both_numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (old, new))
    if path.startswith("activities.points.") and both_numbers:
        kind = parts[-1]
        way = "more" if new > old else "less"
        return f"An activity of type {kind} is worth {way}: {_fmt(old)} -> {_fmt(new)} points"
    if path in _KNOBS and both_numbers:
        noun, unit = _KNOBS[path]
        if unit in (" days", " hours"):
            way = "longer" if new > old else "shorter"
        else:
            way = "raised" if new > old else "lowered"
        return f"The {noun} is {way}: {_fmt(old)} -> {_fmt(new)}{unit}"
    if both_numbers:
        way = "raised" if new > old else "lowered"
        return f"{path} {way}: {_fmt(old)} -> {_fmt(new)}"
    return f"{path} changed: {_fmt(old)} -> {_fmt(new)}"


def _list_sentence(path: str, added: list[Any], removed: list[Any]) -> list[str]:
    out = []
    if path == "activities.intent":
        out += [f"{t} is now an intent signal" for t in added]
        out += [f"{t} is no longer an intent signal" for t in removed]
    elif path == "sql.required_roles":
        out += [f"SQL now requires the role {r}" for r in added]
        out += [f"SQL no longer requires the role {r}" for r in removed]
    else:
        out += [f"{path}: {_fmt(x)} added" for x in added]
        out += [f"{path}: {_fmt(x)} removed" for x in removed]
    return out


def _key(item: dict[str, Any], index: int) -> str:
    for k in _IDENTITY:
        if k in item and item[k] is not None:
            return f"{k}={_fmt(item[k])}"
    return str(index)


def _walk(path: str, old: Any, new: Any, out: list[dict[str, Any]]) -> None:
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for k in sorted(set(old) | set(new)):
            _walk(f"{path}.{k}" if path else k, old.get(k), new.get(k), out)
        return
    if isinstance(old, list) and isinstance(new, list):
        if all(isinstance(x, dict) for x in old + new):
            olds = {_key(x, i): x for i, x in enumerate(old)}
            news = {_key(x, i): x for i, x in enumerate(new)}
            for k in list(dict.fromkeys([*olds, *news])):
                _walk(f"{path}[{k}]", olds.get(k), news.get(k), out)
            return
        if all(not isinstance(x, list | dict) for x in old + new):
            added = [x for x in new if x not in old]
            removed = [x for x in old if x not in new]
            for sentence in _list_sentence(path, added, removed) or [f"{path}: reordered"]:
                out.append({"path": path, "old": old, "new": new, "change": sentence})
            return
    out.append({"path": path, "old": old, "new": new, "change": _sentence(path, old, new)})


def diff(a: Ruleset, b: Ruleset) -> list[dict[str, Any]]:
    """Every change from `a` to `b`: {path, old, new, change (a sentence)}, in path order."""
    out: list[dict[str, Any]] = []
    _walk("", a.model_dump(mode="json"), b.model_dump(mode="json"), out)
    return out


def explain(a: Ruleset, b: Ruleset) -> str:
    """The diff as text: a header and one line per change."""
    changes = diff(a, b)
    head = f"{a.name} ({a.version}) -> {b.name} ({b.version}): "
    if not changes:
        return head + "no change (same content)."
    return head + f"{len(changes)} change(s)\n" + "\n".join(f"  - {c['change']}" for c in changes)
