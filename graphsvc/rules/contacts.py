"""Per-contact evaluation: disqualification, decayed engagement, fit, MQL, recency, roles.

Engagement comes from `ActivityStat`s: the decayed points of a contact are
`sum(points[type] * stat.decay_weight)` (exact for exponential decay, see snapshot.py). Types the
ruleset does not know are worth 0. A contact's engagement is floored at 0 so one unsubscriber does
not cancel a colleague's interest in the account roll-up.
"""

from __future__ import annotations

from dataclasses import dataclass

from .domains import domain_disqualifier
from .fit import contact_fit_score
from .frozen import fast_init
from .roles import EffectiveRole, effective_roles
from .ruleset import Ruleset
from .ruleset_fields import normalize_key
from .snapshot import SECONDS_PER_DAY, ContactSnapshot


@fast_init
@dataclass(frozen=True, slots=True)
class ContactEval:
    contact: ContactSnapshot
    disqualified_reason: str | None
    engagement: float
    fit: float
    mql: bool
    last_engaged_at: float | None  # newest activity worth >= sql.role_engagement_min_points
    last_positive_at: float | None  # newest activity worth > 0 points (nurture re-entry)
    latest_intent: tuple[str, float] | None  # (type, at) of the newest intent signal
    roles: dict[str, EffectiveRole]
    engaged_in_window: bool  # last_engaged_at within sql.role_engagement_days of as_of
    raw: float = 0.0  # decayed points before rounding and the floor at 0 (0 when disqualified): decay.py

    @property
    def disqualified(self) -> bool:
        return self.disqualified_reason is not None

    @property
    def name(self) -> str | None:
        first, last = self.contact.first_name, self.contact.last_name
        return f"{first} {last}" if first and last else (first or last or None)


def contact_disqualifier(contact: ContactSnapshot, ruleset: Ruleset) -> str | None:
    """Why a contact never scores: a competitor's e-mail domain, or a disqualifying status; None if it counts.

    Free-mail and student domains do not disqualify a contact of an account: matching never puts an
    address of those kinds on an account, so such a contact was given its account explicitly (by a
    CRM import, an ingest row with account_id, a person), and that says more than the domain's kind:
    the Dean of Administration of a customer university writes from a .edu address."""
    reason = domain_disqualifier(contact.email, ruleset)
    if reason == "competitor":
        return reason
    status = normalize_key(contact.status)
    if status and status in ruleset.compiled.contact_statuses:
        return f"status:{status}"
    return None


def evaluate_contact(contact: ContactSnapshot, ruleset: Ruleset, as_of: float) -> ContactEval:
    points = ruleset.activities.points
    intent = ruleset.compiled.intent
    engaged_bar = ruleset.sql.role_engagement_min_points
    reason = contact_disqualifier(contact, ruleset)

    raw = 0.0
    last_engaged = last_positive = None
    latest_intent: tuple[str, float] | None = None
    for s in contact.stats:
        p = points.get(s.type, 0.0)
        raw += p * s.decay_weight
        if p > 0 and (last_positive is None or s.last_at > last_positive):
            last_positive = s.last_at
        if p > 0 and p >= engaged_bar and (last_engaged is None or s.last_at > last_engaged):
            last_engaged = s.last_at
        if s.type in intent and s.count > 0 and (latest_intent is None or s.last_at > latest_intent[1]):
            latest_intent = (s.type, s.last_at)

    engagement = round(max(0.0, raw), 2)
    fit = contact_fit_score(contact, ruleset)
    mql = (
        reason is None
        and engagement >= ruleset.mql.min_engagement
        and fit >= ruleset.mql.min_fit
    )
    window = ruleset.sql.role_engagement_days * SECONDS_PER_DAY
    ok = reason is None
    # Positional (the field order above): a full pass at 100k accounts builds a million of these.
    return ContactEval(
        contact, reason, engagement if ok else 0.0, fit, mql, last_engaged, last_positive, latest_intent,
        effective_roles(contact, ruleset),
        ok and last_engaged is not None and as_of - last_engaged <= window,
        raw if ok else 0.0,
    )
