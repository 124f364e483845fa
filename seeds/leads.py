"""Leads: form fills, scans and list imports, each a person who may or may not belong to an account.

The mix exercises lead-to-account matching:

* ``existing``    the e-mail of a known contact (links, must not duplicate the contact);
* ``new_person``  a new person at an account's domain (matches the account, creates a contact);
* ``subdomain``   a person at ``eu.<account domain>`` and the like (matches the account);
* ``free_mail``   gmail.com, gmx.de, ...: never matches, even when the company names an account;
* ``student``     a university address: never matches;
* ``competitor``  a competitor's address;
* ``new_company`` a company that is not an account yet: no match.
"""

from __future__ import annotations

from random import Random
from typing import Protocol

from .campaigns import Calendar
from .clock import DAY, HOUR, WINDOW_DAYS, day_start, iso
from .names import (
    COMPETITOR_DOMAINS,
    COUNTRIES,
    FIRST_NAMES,
    FREE_MAIL_DOMAINS,
    LAST_NAMES,
    NEW_COMPANY_WORDS,
    ROOTS,
    STUDENT_DOMAINS,
    SUBDOMAIN_PREFIXES,
    slug,
)
from .people import DEPARTMENT_WEIGHTS, SENIORITY_WEIGHTS
from .titles import titles_for


class Dataset(Protocol):
    """What a lead reads of its dataset (`seeds.generator.Dataset`), declared here: the generator
    imports this module, so this module does not import the generator."""

    @property
    def seed(self) -> int: ...
    @property
    def n_accounts(self) -> int: ...
    @property
    def as_of_ts(self) -> int: ...
    @property
    def calendar(self) -> Calendar: ...
    def account(self, i: int) -> dict: ...
    def contacts_of(self, i: int) -> list[dict]: ...


LEAD_KINDS = (("existing", 30), ("new_person", 25), ("subdomain", 12), ("free_mail", 15), ("student", 3),
              ("competitor", 2), ("new_company", 13))
NO_ACCOUNT_KINDS = (("free_mail", 15), ("student", 3), ("competitor", 2), ("new_company", 13))
SOURCES = (("website", 30), ("webinar", 20), ("trade_show", 15), ("content_syndication", 12),
           ("paid_search", 8), ("linkedin", 8), ("list_import", 7))
STUDENT_TITLES = ("Student", "Werkstudent", "PhD Candidate", "Stagiaire ingénieur", "Master Student")
UNIVERSITIES = {"northfield.edu": "Northfield University",
                "students.lakeshore-tech.edu": "Lakeshore Institute of Technology",
                "stud.uni-rheintal.de": "Universität Rheintal",
                "etu.univ-garonne.fr": "Université Garonne"}


def _weighted(rng: Random, table) -> str:
    return rng.choices([k for k, _ in table], weights=[w for _, w in table])[0]


def _person(rng: Random, locale: str) -> tuple[str, str]:
    return rng.choice(FIRST_NAMES[locale]), rng.choice(LAST_NAMES[locale])


def _title(rng: Random, industry: str, language: str = "en") -> str:
    sen = _weighted(rng, SENIORITY_WEIGHTS)
    if sen == "c_level":
        dept = "executive"
    else:
        dept = _weighted(rng, tuple(DEPARTMENT_WEIGHTS[industry].items()))
    return rng.choice(titles_for(dept, sen, industry, language))


def _created_at(ds: Dataset, rng: Random, source: str, industry: str) -> int:
    cal = ds.calendar
    as_of = cal.as_of
    if source == "webinar" and cal.webinars:
        e = cal.webinars_for[industry].choose(rng)
        return e.at - int(rng.uniform(0.3, 13.0) * DAY)
    if source == "trade_show" and cal.trade_shows:
        e = cal.shows_for[industry].choose(rng)
        return e.at + rng.randrange(e.days) * DAY + rng.randint(0, 9 * HOUR)
    if source == "list_import":
        return cal.start + rng.choice((30, 121)) * DAY + 9 * HOUR
    t = day_start(as_of) - rng.randrange(WINDOW_DAYS) * DAY + int(rng.triangular(6, 20, 10) * HOUR)
    while t > as_of:
        t -= DAY
    return t


def make_lead(ds: Dataset, k: int, first_random: int) -> dict:
    """Lead number `k` (0-based) of the generated (non-scenario) leads."""
    rng = Random(f"graphsvc-seeds:{ds.seed}:lead:{k}")
    n_random = ds.n_accounts - first_random
    kind = _weighted(rng, LEAD_KINDS if n_random > 0 else NO_ACCOUNT_KINDS)
    source = _weighted(rng, SOURCES)
    industry = "industrial_automation"
    company: str | None
    if kind in ("existing", "new_person", "subdomain", "free_mail"):
        j = first_random + rng.randrange(n_random) if n_random > 0 else None
        acct = ds.account(j) if j is not None else None
    if kind == "existing":
        industry = acct["industry"]
        c = rng.choice(ds.contacts_of(j))
        email, title = c["email"], c["title"]
        company = acct["name"]
    elif kind in ("new_person", "subdomain"):
        industry = acct["industry"]
        locale, language = COUNTRIES[acct["country"]][:2]
        first, last = _person(rng, locale)
        domain = acct["domain"]
        if kind == "subdomain":
            domain = f"{rng.choice(SUBDOMAIN_PREFIXES)}.{domain}"
        email = f"{slug(first)}.{slug(last)}@{domain}"
        title = _title(rng, industry, language if rng.random() < 0.4 else "en")
        company = acct["name"] if rng.random() < 0.7 else acct["name"].rsplit(" ", 1)[0]
    elif kind == "free_mail":
        first, last = _person(rng, rng.choice(("en", "de", "fr", "en")))
        sep = rng.choice((".", "_", ""))
        email = f"{slug(first)}{sep}{slug(last)}{rng.randint(1, 99) if rng.random() < 0.5 else ''}" \
                f"@{rng.choice(FREE_MAIL_DOMAINS)}"
        if acct is not None and rng.random() < 0.6:
            industry = acct["industry"]
            company = acct["name"]
        else:
            company = None
        title = _title(rng, industry)
    elif kind == "student":
        first, last = _person(rng, rng.choice(("en", "de", "fr")))
        domain = rng.choice(STUDENT_DOMAINS)
        email = f"{slug(first)}.{slug(last)}@{domain}"
        title = rng.choice(STUDENT_TITLES)
        company = UNIVERSITIES[domain]
    elif kind == "competitor":
        first, last = _person(rng, "en")
        email = f"{slug(first)}.{slug(last)}@{rng.choice(COMPETITOR_DOMAINS)}"
        title = _title(rng, "test_and_measurement")
        company = None
    else:  # new_company
        root, word = rng.choice(ROOTS), rng.choice(NEW_COMPANY_WORDS)
        first, last = _person(rng, rng.choice(("en", "en", "de", "fr")))
        email = f"{slug(first)}.{slug(last)}@{slug(root)}-{slug(word)}.example"
        title = _title(rng, "software")
        company = f"{root} {word}"
    if kind == "student":
        source = rng.choice(("website", "webinar"))
    t = _created_at(ds, rng, source, industry)
    return {"id": f"lead-{k + 1:07d}", "email": email, "company": company, "title": title,
            "source": source, "created_at": iso(min(t, ds.as_of_ts))}
