"""Domain disqualifiers: competitors, free-mail and student domains.

Used by the engine (disqualified contacts never score) and by ingest for lead matching (a free-mail
or student address says nothing about the company). A listed domain matches itself and every
subdomain: `eu.gmail.com` is gmail, `mail.competitor.example` is the competitor. Each function
accepts a bare domain or a whole e-mail address.
"""

from __future__ import annotations

import hashlib
import hmac

from .ruleset import CACHE_LIMIT, Ruleset


def email_domain(value: str | None) -> str:
    """The lower-cased domain of an e-mail address or domain ("" when there is none)."""
    if not value:
        return ""
    value = value.strip().lower()
    if "@" in value:
        value = value.rsplit("@", 1)[1]
    return value.strip().rstrip(".")


def email_hash(salt: str, email: str) -> str:
    """What an erased person's email is kept as (issue 15): HMAC-SHA256 of the trimmed, lower-cased
    address under the installation's salt, so the same address is recognised on a later import
    while the stored value gives no address back without the salt. Here, next to `email_domain`, so
    ingest and erasure share one definition."""
    return hmac.new(salt.encode(), email.strip().lower().encode(), hashlib.sha256).hexdigest()


def _matches(domain: str, listed: frozenset[str]) -> bool:
    if domain in listed:
        return True
    # Walk the parent domains: a.b.gmail.com -> b.gmail.com -> gmail.com -> com.
    parts = domain.split(".")
    return any(".".join(parts[i:]) in listed for i in range(1, len(parts)))


def domain_disqualifier(domain: str | None, ruleset: Ruleset) -> str | None:
    """Why a domain (or e-mail) is disqualified: "competitor", "student", "free_mail", or None."""
    d = email_domain(domain)
    if not d:
        return None
    c = ruleset.compiled
    if d in c.domain_cache:
        return c.domain_cache[d]
    if _matches(d, c.competitors):
        reason: str | None = "competitor"
    elif _matches(d, c.student_suffixes) or any(p.search(d) for p in c.student_patterns):
        reason = "student"
    elif _matches(d, c.free_mail):
        reason = "free_mail"
    else:
        reason = None
    if len(c.domain_cache) < CACHE_LIMIT:
        c.domain_cache[d] = reason
    return reason


def is_disqualified_domain(domain: str | None, ruleset: Ruleset) -> bool:
    """True for competitor, student and free-mail domains (and their subdomains)."""
    return domain_disqualifier(domain, ruleset) is not None


def is_free_or_student_domain(domain: str | None, ruleset: Ruleset) -> bool:
    """True when the domain says nothing about an employer: do not match leads to accounts by it."""
    return domain_disqualifier(domain, ruleset) in ("student", "free_mail")


def is_competitor_domain(domain: str | None, ruleset: Ruleset) -> bool:
    return domain_disqualifier(domain, ruleset) == "competitor"
