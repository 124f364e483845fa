"""Fit scores (0-100): how much a contact, and an account, look like who we sell to.

Both are sums of table lookups from the ruleset, clamped to 0..100, and both return a breakdown so
the checks can say where the number came from.
"""

from __future__ import annotations

from .ruleset import CACHE_LIMIT, Band, Ruleset
from .ruleset_fields import fold, normalize_key, normalize_title
from .snapshot import AccountSnapshot, ContactSnapshot


def _clamp(x: float) -> float:
    return max(0.0, min(100.0, x))


def normalize_seniority(value: str | None, ruleset: Ruleset) -> str:
    key = normalize_key(value)
    return ruleset.contact_fit.seniority_aliases.get(key, key)


def normalize_department(value: str | None, ruleset: Ruleset) -> str:
    key = normalize_key(value)
    return ruleset.contact_fit.department_aliases.get(key, key)


def contact_fit(contact: ContactSnapshot, ruleset: Ruleset) -> tuple[float, dict[str, float]]:
    """(fit, parts): seniority + department + matching title patterns, clamped to 0..100."""
    hit = _cached_fit(contact, ruleset)
    return hit[0], dict(hit[1])


def contact_fit_score(contact: ContactSnapshot, ruleset: Ruleset) -> float:
    """contact_fit's number alone (no copy of the parts: the engine's per-contact path)."""
    return _cached_fit(contact, ruleset)[0]


def _cached_fit(contact: ContactSnapshot, ruleset: Ruleset) -> tuple[float, dict[str, float]]:
    cache = ruleset.compiled.fit_cache
    key = (contact.title, contact.seniority, contact.department)
    hit = cache.get(key)
    if hit is None:
        hit = _contact_fit(contact, ruleset)
        if len(cache) < CACHE_LIMIT:
            cache[key] = hit
    return hit


def _contact_fit(contact: ContactSnapshot, ruleset: Ruleset) -> tuple[float, dict[str, float]]:
    cf = ruleset.contact_fit
    seniority = normalize_seniority(contact.seniority, ruleset)
    department = normalize_department(contact.department, ruleset)
    parts = {
        "seniority": cf.seniority.get(seniority, cf.unknown_seniority),
        "department": cf.department.get(department, cf.unknown_department),
    }
    title = normalize_title(contact.title)
    title_points = sum(points for rx, points in ruleset.compiled.title_patterns if title and rx.search(title))
    parts["title"] = title_points
    return round(_clamp(sum(parts.values())), 2), parts


def _band_points(value: float | None, bands: list[Band]) -> float | None:
    if value is None:
        return None
    for b in bands:
        if value >= b.min and (b.max is None or value < b.max):
            return b.points
    return 0.0


def account_fit(account: AccountSnapshot, ruleset: Ruleset) -> tuple[float, dict[str, float], str]:
    """(fit, parts, detail): industry + employee band + revenue band + country, clamped to 0..100."""
    af = ruleset.account_fit
    c = ruleset.compiled
    notes: list[str] = []

    industry = normalize_key(account.industry)
    if not industry:
        ind_points, ind_note = 0.0, "industry unknown"
    elif industry in c.industries:
        group, ind_points = c.industries[industry]
        ind_note = f"industry {account.industry} ({group})"
    else:
        ind_points, ind_note = af.other_industry_points, f"industry {account.industry} (not ICP)"
    notes.append(f"{ind_note} {ind_points:g}")

    emp = _band_points(account.employees, af.employee_bands)
    notes.append(f"employees {account.employees if account.employees is not None else 'unknown'} {emp or 0:g}")
    rev = _band_points(account.annual_revenue, af.revenue_bands)
    rev_shown = f"{account.annual_revenue:,.0f}" if account.annual_revenue is not None else "unknown"
    notes.append(f"revenue {rev_shown} {rev or 0:g}")

    country = fold(account.country).strip() if account.country else ""
    if not country:
        cty_points, cty_note = af.unknown_country_points, "country unknown"
    elif country in c.countries:
        region, cty_points = c.countries[country]
        cty_note = f"country {account.country} ({region})"
    else:
        cty_points, cty_note = af.other_country_points, f"country {account.country} (other)"
    notes.append(f"{cty_note} {cty_points:g}")

    parts = {"industry": ind_points, "employees": emp or 0.0, "revenue": rev or 0.0, "country": cty_points}
    return round(_clamp(sum(parts.values())), 2), parts, " + ".join(notes)
