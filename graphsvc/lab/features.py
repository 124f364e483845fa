"""Accounts as rows for model fitting: the same quantities the rules engine adds up, nothing else.

A ruleset scores engagement as `sum(points[type] * decay weight)` and contact fit as
`seniority points + department points`. So the columns of an account are exactly those: per activity
type the decayed weight summed over its contacts (the `ActivityStat.decay_weight` the engine uses,
at the ruleset's half-life), and per seniority and per department level the share of its contacts at
that level. A logistic regression on these columns has coefficients that *are* points (up to one
scale), which is what keeps a calibrated ruleset readable. Levels are normalised and aliased exactly
as the engine does (`normalize_key`, the base ruleset's aliases), so the level names written into the
candidate are the keys the engine will look up. Contacts the base ruleset disqualifies are left out,
as the engine leaves them out of engagement.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from graphsvc.rules import AccountSnapshot, Ruleset, domain_disqualifier, normalize_key

UNKNOWN = ""  # the level of a contact with no (or an empty) seniority or department


@dataclass(frozen=True)
class Row:
    """One account: its outcome and the columns the engine's scores are sums of."""

    account_id: str
    won: int
    activity: dict[str, float]  # type -> decayed weight summed over contacts
    seniority: dict[str, float]  # level -> share of contacts
    department: dict[str, float]


def _level(value: str | None, aliases: dict[str, str]) -> str:
    key = normalize_key(value)
    return aliases.get(key, key)


def row_of(snap: AccountSnapshot, won: int, base: Ruleset) -> Row:
    activity: dict[str, float] = {}
    seniority: dict[str, float] = {}
    department: dict[str, float] = {}
    contacts = [c for c in snap.contacts if domain_disqualifier(c.email, base) is None]
    share = 1.0 / len(contacts) if contacts else 0.0
    cf = base.contact_fit
    for c in contacts:
        for st in c.stats:
            activity[st.type] = activity.get(st.type, 0.0) + st.decay_weight
        s, d = _level(c.seniority, cf.seniority_aliases), _level(c.department, cf.department_aliases)
        seniority[s] = seniority.get(s, 0.0) + share
        department[d] = department.get(d, 0.0) + share
    return Row(snap.id, int(won), activity, seniority, department)


@dataclass(frozen=True)
class Design:
    """The columns, in a fixed order: activity types, then seniority levels, then department levels."""

    types: tuple[str, ...]
    seniority: tuple[str, ...]
    department: tuple[str, ...]

    @classmethod
    def of(cls, rows: Iterable[Row]) -> Design:
        t: set[str] = set()
        s: set[str] = set()
        d: set[str] = set()
        for r in rows:
            t |= {k for k, v in r.activity.items() if v > 0}
            s |= set(r.seniority)
            d |= set(r.department)
        return cls(tuple(sorted(t)), tuple(sorted(s)), tuple(sorted(d)))

    @property
    def width(self) -> int:
        return len(self.types) + len(self.seniority) + len(self.department)

    def matrix(self, rows: Sequence[Row]) -> np.ndarray:
        x = np.zeros((len(rows), self.width))
        ti = {k: i for i, k in enumerate(self.types)}
        si = {k: len(self.types) + i for i, k in enumerate(self.seniority)}
        di = {k: len(self.types) + len(self.seniority) + i for i, k in enumerate(self.department)}
        for n, r in enumerate(rows):
            for table, index in ((r.activity, ti), (r.seniority, si), (r.department, di)):
                for k, v in table.items():
                    if k in index:
                        x[n, index[k]] = v
        return x

    def fit_columns(self) -> slice:
        return slice(len(self.types), self.width)


def outcomes_of(rows: Sequence[Row]) -> np.ndarray:
    return np.array([r.won for r in rows], dtype=int)
