"""Email-domain matching: which account an email belongs to.

`eu.acme.com` matches an account whose domain is `acme.com` (the longest registered suffix wins);
free-mail and student domains never match, whatever accounts exist. The domain of an e-mail
address is `graphsvc.rules.email_domain`: one definition for matching and for disqualifying.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

__all__ = ["match_domains", "normalise_domain"]


def normalise_domain(domain: str | None) -> str | None:
    if not domain:
        return None
    d = domain.strip().lower().rstrip(".")
    for prefix in ("https://", "http://"):
        if d.startswith(prefix):
            d = d[len(prefix):]
    d = d.split("/", 1)[0]
    if d.startswith("www."):
        d = d[4:]
    return d or None


def candidate_domains(domain: str) -> list[str]:
    """`eu.sales.acme.com` -> [eu.sales.acme.com, sales.acme.com, acme.com] (longest first)."""
    parts = domain.split(".")
    return [".".join(parts[i:]) for i in range(len(parts) - 1)]


def match_domains(
    domains: Iterable[str],
    lookup: Callable[[list[str]], dict[str, str]],
    never_match: Callable[[str], bool],
) -> dict[str, tuple[str | None, str]]:
    """domain -> (account id or None, reason). `lookup` maps registered domains to account ids."""
    domains = sorted(set(domains))
    wanted = sorted({c for d in domains if not never_match(d) for c in candidate_domains(d)})
    known = lookup(wanted) if wanted else {}
    out: dict[str, tuple[str | None, str]] = {}
    for d in domains:
        if never_match(d):
            out[d] = (None, f"{d} is a free-mail, student or disqualified domain and never matches an account")
            continue
        for c in candidate_domains(d):
            if c in known:
                how = "domain" if c == d else f"parent domain {c}"
                out[d] = (known[c], f"email {how} matches account {known[c]}")
                break
        else:
            out[d] = (None, f"no account has the domain {d} or a parent of it")
    return out
