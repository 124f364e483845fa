"""BANT (budget, authority, need, timeline) as SQL checks (issue 15).

Sales records each field per buying group (met or not, by whom, when). The ruleset says which fields
an SQL requires: `[sql] bant` for every account plus the fields of every `[[sql.bant_rules]]` rule the
account matches (segment, size band, as for required roles). None by default, and then the SQL gate
is exactly what it was. The account's SQL gate reads the default buying group's record; what other
groups recorded is shown in the check's detail. A record later than `as_of` is not seen.
"""

from __future__ import annotations

from datetime import UTC, datetime

from .buying_center import rule_matches
from .result import Check
from .ruleset import Ruleset
from .snapshot import AccountSnapshot, BantEntry

BANT_FIELDS = ("budget", "authority", "need", "timeline")
GATE_GROUP = "default"


def required_bant(account: AccountSnapshot, ruleset: Ruleset, kind: str | None = None) -> tuple[str, ...]:
    """The BANT fields this account's SQL (for a buying group of `kind`) requires, in B-A-N-T order."""
    wanted = set(ruleset.sql.bant)
    for rule in ruleset.sql.bant_rules:
        if rule_matches(rule, account, kind):
            wanted.update(rule.fields)
    return tuple(f for f in BANT_FIELDS if f in wanted)


def _said(e: BantEntry) -> str:
    day = datetime.fromtimestamp(e.at, tz=UTC).date().isoformat()
    return f"{'met' if e.met else 'not met'} ({e.by}, {day}{'; ' + e.note if e.note else ''})"


def bant_checks(account: AccountSnapshot, ruleset: Ruleset, as_of: float, group: str = GATE_GROUP,
                kind: str | None = None) -> list[Check]:
    """One `bant:<field>` check per required field: passed when sales recorded it as met for the
    buying group (`default` unless given; each group's SQL gate reads its own) at or before `as_of`.
    Value: True / False as recorded, None when not recorded."""
    seen = [e for e in account.bant if e.at <= as_of]
    checks = []
    for name in required_bant(account, ruleset, kind):
        mine = next((e for e in seen if e.field == name and e.group == group), None)
        others = [f"{e.group}: {_said(e)}" for e in seen if e.field == name and e.group != group]
        if mine is None:
            detail = f"{name} not recorded by sales for the {group} buying group"
        else:
            detail = f"{name} {_said(mine)}"
        if others:
            detail += "; other groups: " + "; ".join(sorted(others))
        checks.append(Check(f"bant:{name}", bool(mine and mine.met), None if mine is None else mine.met,
                            "recorded as met by sales", detail))
    return checks
