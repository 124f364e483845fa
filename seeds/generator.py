"""Deterministic generator of a realistic B2B dataset, as ingest-API payload rows.

    >>> ds = generate(accounts=10_000)           # ~100k contacts, ~1M activities, lazily
    >>> for batch in ds.iter_batches("activities", 5_000): post(batch)

Every account is generated from its own random stream, seeded by (seed, account index), so any
account can be produced on its own, in any order or in parallel, and the same arguments give
byte-identical output. `Dataset.accounts`, `.contacts`, `.leads` and `.activities` return a fresh
iterator on each access; nothing is held in memory beyond one account.

Load order: accounts (a parent before its subsidiaries), contacts (top-down within an account, so
`reports_to` always names an earlier row), leads, activities (time order within an account).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from itertools import islice
from random import Random
from typing import NamedTuple

from .activities import STATES, make_history
from .campaigns import Calendar
from .catalog import asset_catalog
from .clock import DEFAULT_AS_OF, to_epoch
from .enterprise import with_enterprise
from .leads import make_lead
from .names import COMPANY_WORDS, COUNTRIES, COUNTRIES_BY_LANGUAGE, LEGAL_FORMS, OWNERS, REGION_OF, ROOTS, slug
from .people import make_contacts
from .scenarios import SCENARIOS, scenario_rows

SCENARIOS, scenario_rows = with_enterprise(SCENARIOS, scenario_rows)  # issue 15: hierarchies, groups, duplicates

KINDS = ("accounts", "contacts", "leads", "activities")
ACCOUNT_KEYS = ("id", "name", "domain", "industry", "employees", "annual_revenue", "country", "segment",
                "owner", "parent_id")
CONTACT_KEYS = ("id", "email", "account_id", "first_name", "last_name", "title", "seniority", "department",
                "reports_to", "roles")
LEAD_KEYS = ("id", "email", "company", "title", "source", "created_at")
ACTIVITY_KEYS = ("id", "contact_id", "type", "at", "asset", "campaign", "channel")
OPPORTUNITY_KEYS = ("id", "account_id", "contact_id", "name", "stage", "is_won", "is_closed", "amount", "currency",
                    "created_at", "close_date", "source")
KINDS += ("opportunities",)  # issue 13: the CRM's opportunities from the hidden buying process, last

SEGMENTS = (("enterprise", 20), ("mid_market", 45), ("smb", 35))
# Contacts per account relative to contacts_per_account (weighted mean 1).
SEGMENT_CONTACTS = {"enterprise": 1.9, "mid_market": 0.95, "smb": 0.55}
REVENUE_PER_EMPLOYEE = {"industrial_automation": 210_000, "semiconductors": 340_000,
                        "microelectronics": 260_000, "test_and_measurement": 240_000, "software": 190_000}
SUBSIDIARY_SHARE = 0.03
NAME_VARIANTS = ("", "Group", "International", "Holding", "Partners")

N_SLOTS = len(ROOTS) * len(COMPANY_WORDS)
_SLOT_STEP = next(p for p in (1_000_003, 999_983, 7_919, 104_729) if math.gcd(p, N_SLOTS) == 1)


def _unit(*parts) -> float:
    """A uniform number in [0, 1) from its arguments: stable across runs and machines."""
    h = hashlib.blake2b(":".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(h, "big") / 2**64


def _weighted(rng: Random, table) -> str:
    return rng.choices([k for k, _ in table], weights=[w for _, w in table])[0]


def segment_of(employees: int) -> str:
    return "enterprise" if employees >= 1000 else "mid_market" if employees >= 200 else "smb"


@dataclass(slots=True)
class _Core:
    row: dict
    stem: str  # domain without ".example"
    base_name: str  # name without legal form
    state: str
    locale: str
    title_language: str
    tz: int


class AccountBundle(NamedTuple):
    account: dict
    contacts: list[dict]
    activities: list[dict]
    opportunities: tuple[dict, ...] = ()


@dataclass(frozen=True)
class Dataset:
    """A lazily generated dataset. See the module docstring."""

    n_accounts: int
    seed: int = 7
    as_of: datetime = DEFAULT_AS_OF
    contacts_per_account: float = 10
    activities_per_contact: float = 10
    leads_per_account: float = 1.5
    scenarios: bool = True
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    # -- derived ---------------------------------------------------------------------------------
    @cached_property
    def as_of_ts(self) -> int:
        return to_epoch(self.as_of)

    @cached_property
    def calendar(self) -> Calendar:
        return Calendar(self.seed, self.as_of_ts)

    @property
    def n_scenarios(self) -> int:
        return min(len(SCENARIOS), self.n_accounts) if self.scenarios else 0

    @property
    def n_leads(self) -> int:
        return sum(len(s.leads) for s in SCENARIOS[: self.n_scenarios]) + self._n_random_leads

    @property
    def _n_random_leads(self) -> int:
        return round((self.n_accounts - self.n_scenarios) * self.leads_per_account)

    def scenario_accounts(self) -> dict[str, str]:
        """Scenario key -> account id, for the scenarios this dataset contains."""
        return {s.key: s.account_id for s in SCENARIOS[: self.n_scenarios]}

    # -- the four streams ------------------------------------------------------------------------
    @property
    def accounts(self) -> Iterator[dict]:
        return (self.account(i) for i in range(self.n_accounts))

    @property
    def contacts(self) -> Iterator[dict]:
        return (c for i in range(self.n_accounts) for c in self.contacts_of(i))

    @property
    def activities(self) -> Iterator[dict]:
        return (a for b in self.bundles() for a in b.activities)

    @property
    def leads(self) -> Iterator[dict]:
        return self._leads()

    @property
    def opportunities(self) -> Iterator[dict]:
        """CRM opportunities (won, lost, open) the hidden buying process gave the accounts."""
        return (o for b in self.bundles() for o in b.opportunities)

    def rows(self, kind: str) -> Iterator[dict]:
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
        return getattr(self, kind)

    def iter_batches(self, kind: str, size: int) -> Iterator[list[dict]]:
        """Rows of `kind` ("accounts", "contacts", "leads", "activities") in lists of `size`."""
        return batched(self.rows(kind), size)

    def campaigns(self) -> list[dict[str, str]]:
        return self.calendar.campaigns()

    @staticmethod
    def assets() -> list[dict[str, str]]:
        return list(asset_catalog().values())

    # -- one account -----------------------------------------------------------------------------
    def account(self, i: int) -> dict:
        if i < self.n_scenarios:
            return scenario_rows(SCENARIOS[i], self.as_of_ts)[0]
        return self._core(i).row

    def contacts_of(self, i: int) -> list[dict]:
        if i < self.n_scenarios:
            return scenario_rows(SCENARIOS[i], self.as_of_ts)[1]
        core = self._core(i)
        return self._contacts(i, core)

    def bundle(self, i: int) -> AccountBundle:
        """Account `i` with its contacts and activities."""
        if i < self.n_scenarios:
            account, contacts, activities, _ = scenario_rows(SCENARIOS[i], self.as_of_ts)
            return AccountBundle(account, contacts, activities)
        core = self._core(i)
        contacts = self._contacts(i, core)
        rng = Random(f"graphsvc-seeds:{self.seed}:activities:{i}")
        activities, opportunities = make_history(
            rng, self.calendar, id_prefix=f"act-{i:06d}", industry=core.row["industry"], tz=core.tz,
            state=core.state, contacts=contacts, activities_per_contact=self.activities_per_contact)
        for o in opportunities:
            o["account_id"] = core.row["id"]
        return AccountBundle(core.row, contacts, activities, tuple(opportunities))

    def bundles(self, start: int = 0, stop: int | None = None) -> Iterator[AccountBundle]:
        stop = self.n_accounts if stop is None else min(stop, self.n_accounts)
        return (self.bundle(i) for i in range(start, stop))

    def _leads(self, start: int = 0, stop: int | None = None) -> Iterator[dict]:
        scenario_leads = [row for s in SCENARIOS[: self.n_scenarios] for row in scenario_rows(s, self.as_of_ts)[3]]
        stop = self.n_leads if stop is None else min(stop, self.n_leads)
        for k in range(start, stop):
            if k < len(scenario_leads):
                yield scenario_leads[k]
            else:
                yield make_lead(self, k - len(scenario_leads), self.n_scenarios)

    def lead_range(self, start: int, stop: int) -> Iterator[dict]:
        """Leads number `start` to `stop - 1`, generated directly (no need to run through the others)."""
        return self._leads(start, stop)

    def _contacts(self, i: int, core: _Core) -> list[dict]:
        rng = Random(f"graphsvc-seeds:{self.seed}:contacts:{i}")
        row = core.row
        n = self.contacts_per_account * SEGMENT_CONTACTS[row["segment"]] * rng.uniform(0.6, 1.4)
        n = max(1, int(n + rng.random()))
        return make_contacts(rng, account_id=row["id"], id_prefix=f"con-{i:06d}", domain=row["domain"],
                             industry=row["industry"], country_locale=core.locale,
                             title_language=core.title_language, n=n, state=core.state,
                             enterprise=row["segment"] == "enterprise")

    # -- account generation ----------------------------------------------------------------------
    def _has_subsidiary(self, i: int) -> bool:
        return i - self.n_scenarios >= 8 and _unit(self.seed, "has-subsidiary", i) < SUBSIDIARY_SHARE

    def parent_index(self, i: int) -> int | None:
        """The parent of account `i`, when `i` is a subsidiary: the account just before it, if that
        one has a subsidiary and is not itself one. Every parent has at most one subsidiary."""
        p = i - 1
        if p >= self.n_scenarios and self._has_subsidiary(p) and not self._has_subsidiary(p - 1):
            return p
        return None

    def _core(self, i: int) -> _Core:
        cache = self._cache
        if i in cache:
            return cache[i]
        core = self._make_core(i)
        parent = self.parent_index(i)
        if parent is not None:
            core = self._subsidiary(i, core, self._make_core(parent))
        if len(cache) > 64:
            cache.clear()
        cache[i] = core
        return core

    def _make_core(self, i: int) -> _Core:
        r = i - self.n_scenarios
        cycle, pos = divmod(r, N_SLOTS)
        offset = int(_unit(self.seed, "slots") * N_SLOTS)
        j = (_SLOT_STEP * pos + offset) % N_SLOTS
        root = ROOTS[j % len(ROOTS)]
        word, industry, language = COMPANY_WORDS[j // len(ROOTS)]
        variant = NAME_VARIANTS[cycle] if cycle < len(NAME_VARIANTS) else str(cycle)

        rng = Random(f"graphsvc-seeds:{self.seed}:account:{i}")
        country = _weighted(rng, COUNTRIES_BY_LANGUAGE[language])
        segment = _weighted(rng, SEGMENTS)
        if segment == "enterprise":
            employees = int(math.exp(rng.uniform(math.log(1000), math.log(60_000))))
        elif segment == "mid_market":
            employees = rng.randint(200, 999)
        else:
            employees = rng.randint(15, 199)
        revenue = employees * REVENUE_PER_EMPLOYEE[industry] * rng.lognormvariate(0, 0.3)
        legal = _weighted(rng, LEGAL_FORMS[country])
        owner = rng.choice(OWNERS[REGION_OF.get(country, "emea")])
        state = _weighted(rng, STATES)
        base = " ".join(x for x in (root, word, variant) if x)
        stem = "-".join(x for x in (slug(root), slug(word), slug(variant)) if x)
        row = {"id": f"acc-{i:06d}", "name": f"{base} {legal}", "domain": f"{stem}.example",
               "industry": industry, "employees": employees, "annual_revenue": int(round(revenue, -4)),
               "country": country, "segment": segment, "owner": owner, "parent_id": None}
        locale, title_language, tz, _ = COUNTRIES[country]
        return _Core(row, stem, base, state, locale, title_language, tz)

    def _subsidiary(self, i: int, own: _Core, parent: _Core) -> _Core:
        """A national subsidiary of `parent`: its name and domain, a smaller head count."""
        rng = Random(f"graphsvc-seeds:{self.seed}:subsidiary:{i}")
        p = parent.row
        country = _weighted(rng, [(c, w) for c, w in COUNTRIES_BY_LANGUAGE["en"] if c != p["country"]])
        employees = max(15, int(p["employees"] * rng.uniform(0.04, 0.3)))
        locale, title_language, tz, country_name = COUNTRIES[country]
        row = {"id": f"acc-{i:06d}", "name": f"{parent.base_name} {country_name} {_weighted(rng, LEGAL_FORMS[country])}",
               "domain": f"{parent.stem}-{country.lower()}.example", "industry": p["industry"],
               "employees": employees,
               "annual_revenue": int(round(employees * REVENUE_PER_EMPLOYEE[p["industry"]] * rng.lognormvariate(0, 0.3), -4)),
               "country": country, "segment": segment_of(employees),
               "owner": rng.choice(OWNERS[REGION_OF.get(country, "emea")]), "parent_id": p["id"]}
        return _Core(row, f"{parent.stem}-{country.lower()}", row["name"], own.state, locale, title_language, tz)


def batched(rows: Iterable[dict], size: int) -> Iterator[list[dict]]:
    """Lists of up to `size` rows."""
    if size < 1:
        raise ValueError("batch size must be >= 1")
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch


def generate(accounts: int, seed: int = 7, as_of: datetime | None = None, contacts_per_account: float = 10,
             activities_per_contact: float = 10, *, leads_per_account: float = 1.5,
             scenarios: bool = True) -> Dataset:
    """A deterministic dataset of `accounts` accounts (~contacts_per_account contacts each, ~
    activities_per_contact activities per contact, ~leads_per_account leads per account), over the
    year up to `as_of` (default 2026-11-01T00:00:00Z; must be timezone-aware). The first four
    accounts are the hand-written scenarios of seeds/scenarios.py unless `scenarios=False`."""
    if accounts < 0:
        raise ValueError("accounts must be >= 0")
    if contacts_per_account <= 0 or activities_per_contact < 0 or leads_per_account < 0:
        raise ValueError("contacts_per_account must be > 0; the other ratios >= 0")
    as_of = DEFAULT_AS_OF if as_of is None else as_of
    as_of = datetime.fromtimestamp(to_epoch(as_of), UTC)  # aware, UTC, whole seconds
    return Dataset(int(accounts), int(seed), as_of, float(contacts_per_account), float(activities_per_contact),
                   float(leads_per_account), bool(scenarios))


__all__ = ["ACCOUNT_KEYS", "ACTIVITY_KEYS", "CONTACT_KEYS", "KINDS", "LEAD_KEYS", "OPPORTUNITY_KEYS", "AccountBundle",
           "Dataset",
           "batched", "generate", "segment_of"]
