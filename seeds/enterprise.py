"""Hand-written enterprise accounts as real CRMs have them (issue 15): a hierarchy, one account with
two buying groups, and duplicate people and companies. Added after the scenario accounts of every
dataset (`with_enterprise` wraps the scenario list and its row builder; the generator calls it in one
line), with stable ids and times relative to the anchor like the scenarios.

* ``acc-halvorsen`` (group, CEO and CFO on record as decision maker / economic buyer) with two
  subsidiaries: ``acc-halvorsen-uk`` (engineers engaged, a demo request, no decision maker of its own:
  the group CEO covers it under `[hierarchy] parent_roles`) and ``acc-halvorsen-de`` (engineers engaged:
  their engagement counts for the group under `subsidiary_engagement = "roll_up"`).
* ``acc-kestrel``: two buying groups, ``rf-test-system`` (decision maker, technical evaluator and
  economic buyer engaged, a demo request by its decision maker: an SQL through that group) and
  ``packaging-line-2027`` (a decision maker and an engineer, no economic buyer, no intent: not ready). Dana Whitfield is there twice, once
  from each CRM (same name, two e-mail addresses at the same domain): a duplicate candidate.
* ``acc-orrin`` and ``acc-orrin-us``: one company recorded twice ("Orrin Metrology GmbH",
  "Orrin Metrology Inc."): a duplicate account candidate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .clock import DAY, day_start, iso
from .names import slug

RF, PACK = "rf-test-system", "packaging-line-2027"


@dataclass(frozen=True)
class EnterpriseAccount:
    key: str
    account: dict
    # (no, first, last, title, seniority, department, reports_to no, [(role, source, group)], e-mail local or None)
    contacts: tuple
    # (contact no, type, days ago, "HH:MM" UTC, asset, campaign, channel)
    activities: tuple = ()
    parent: str | None = None
    leads: tuple = ()  # none: the row builder's fourth list stays empty

    @property
    def account_id(self) -> str:
        return f"acc-{self.key}"

    def contact_id(self, no: int) -> str:
        return f"con-{self.key}-{no:02d}"


def _engineer(no: int, days: tuple[int, int, int], asset: str) -> tuple:
    """A researching engineer: a webinar (days[0] days ago), a download (days[1]) and capability pages
    and a newsletter open (days[2])."""
    webinar, download, pages = days
    return ((no, "webinar_registered", webinar + 2, "09:10", asset, f"{asset}-live", "webinar"),
            (no, "webinar_attended", webinar, "15:00", asset, f"{asset}-live", "webinar"),
            (no, "content_download", download, "10:20", asset, None, "web"),
            (no, "capability_page_view", download, "10:25", None, None, "web"),
            (no, "capability_page_view", pages, "11:05", None, None, "web"),
            (no, "email_open", pages, "07:40", None, None, "email"))


WEB = "webinar-calibration-automation"

ACCOUNTS = (
    EnterpriseAccount(
        key="halvorsen",
        account=dict(name="Halvorsen Group AS", domain="halvorsen-group.example", industry="test_and_measurement",
                     employees=12_000, annual_revenue=2_900_000_000, country="NO", segment="enterprise",
                     owner="sophie.bennett"),
        contacts=(
            (1, "Ingrid", "Halvorsen", "Chief Executive Officer", "c_level", "executive", None,
             [("decision_maker", "sales", "default")], None),
            (2, "Per", "Lund", "Group CFO", "c_level", "finance", 1, [("economic_buyer", "sales", "default")], None),
            (3, "Marit", "Berg", "VP Group Operations", "vp", "operations", 1, [], None),
        ),
        activities=((1, "meeting_booked", 20, "10:00", None, None, "sales"), (2, "email_open", 9, "07:30", None, None, "email")),
    ),
    EnterpriseAccount(
        key="halvorsen-uk", parent="acc-halvorsen",
        account=dict(name="Halvorsen Instruments UK Ltd", domain="halvorsen-instruments-uk.example",
                     industry="test_and_measurement", employees=450, annual_revenue=96_000_000, country="GB",
                     segment="mid_market", owner="sophie.bennett"),
        contacts=(
            (1, "Oliver", "Grant", "Head of Test Engineering", "director", "engineering", None,
             [("champion", "sales", "default")], None),
            (2, "Amelia", "Shaw", "Senior Test Engineer", "senior", "engineering", 1, [], None),
            (3, "Harry", "Doyle", "Test Engineer", "individual", "engineering", 1, [], None),
            (4, "Chloe", "Pike", "Calibration Engineer", "individual", "quality", 1, [], None),
        ),
        activities=(*_engineer(1, (18, 12, 8), WEB), *_engineer(2, (18, 10, 5), WEB), *_engineer(3, (18, 9, 4), WEB),
                    (1, "demo_request", 4, "11:45", "cal-suite", None, "web")),
    ),
    EnterpriseAccount(
        key="halvorsen-de", parent="acc-halvorsen",
        account=dict(name="Halvorsen Messtechnik GmbH", domain="halvorsen-messtechnik.example",
                     industry="test_and_measurement", employees=600, annual_revenue=130_000_000, country="DE",
                     segment="mid_market", owner="lena.hofmann"),
        contacts=(
            (1, "Stefan", "Kraus", "Leiter Prüffeld", "director", "quality", None, [], None),
            (2, "Anna", "Pohl", "Prüfingenieurin", "individual", "quality", 1, [], None),
            (3, "Jan", "Weber", "Messtechniker", "individual", "engineering", 1, [], None),
        ),
        activities=(*_engineer(2, (25, 14, 6), WEB), *_engineer(3, (25, 13, 7), WEB)),
    ),
    EnterpriseAccount(
        key="kestrel",
        account=dict(name="Kestrel Avionics Inc.", domain="kestrel-avionics.example", industry="microelectronics",
                     employees=3_200, annual_revenue=830_000_000, country="US", segment="enterprise",
                     owner="sophie.bennett"),
        contacts=(
            (1, "Robert", "Haines", "VP Manufacturing", "vp", "manufacturing", None,
             [("decision_maker", "sales", PACK)], None),
            (2, "Priya", "Natarajan", "Director Test Engineering", "director", "engineering", None,
             [("decision_maker", "sales", RF)], None),
            (3, "Mark", "Ellison", "Finance Director", "director", "finance", None,
             [("economic_buyer", "sales", RF)], None),
            (4, "Dana", "Whitfield", "RF Test Engineer", "senior", "engineering", 2,
             [("technical_evaluator", "import", RF)], None),
            (5, "Luis", "Ortega", "Packaging Process Engineer", "senior", "manufacturing", 1,
             [("technical_evaluator", "import", PACK)], None),
            # The same Dana from the other CRM: another address at the same domain.
            (6, "Dana", "Whitfield", "RF Test Engineer", "senior", "engineering", 2, [], "dwhitfield"),
        ),
        activities=(*_engineer(4, (16, 9, 3), WEB), *_engineer(5, (30, 20, 11), WEB),
                    (2, "webinar_attended", 16, "15:00", WEB, f"{WEB}-live", "webinar"),
                    (2, "pricing_page_view", 6, "13:05", None, None, "web"),
                    (2, "demo_request", 3, "09:40", "rf-test-bench", None, "web"),
                    (3, "pricing_page_view", 5, "16:20", None, None, "web"),
                    (3, "meeting_booked", 2, "14:00", None, None, "sales"),
                    (1, "email_click", 12, "08:15", None, None, "email"),
                    (6, "email_open", 7, "08:00", None, None, "email")),
    ),
    EnterpriseAccount(
        key="orrin",
        account=dict(name="Orrin Metrology GmbH", domain="orrin-metrology.example", industry="test_and_measurement",
                     employees=320, annual_revenue=70_000_000, country="DE", segment="mid_market",
                     owner="tobias.krause"),
        contacts=((1, "Helga", "Orrin", "Geschäftsführerin", "c_level", "executive", None, [], None),),
        activities=((1, "email_open", 10, "08:00", None, None, "email"),),
    ),
    EnterpriseAccount(
        key="orrin-us",
        account=dict(name="Orrin Metrology Inc.", domain="orrin-metrology-us.example", industry="test_and_measurement",
                     employees=320, annual_revenue=70_000_000, country="US", segment="mid_market",
                     owner="sophie.bennett"),
        contacts=((1, "Helga", "Orrin", "Managing Director", "c_level", "executive", None, [], None),),
    ),
)

ENTERPRISE_ACCOUNTS = {
    "hierarchy_parent": "acc-halvorsen", "hierarchy_subsidiary_with_intent": "acc-halvorsen-uk",
    "hierarchy_subsidiary_engaged": "acc-halvorsen-de", "two_buying_groups": "acc-kestrel",
    "duplicate_accounts": "acc-orrin", "duplicate_accounts_other": "acc-orrin-us",
}


def _at(as_of: int, days_ago: int, hhmm: str) -> int:
    h, m = hhmm.split(":")
    return day_start(as_of) - days_ago * DAY + int(h) * 3600 + int(m) * 60


def enterprise_rows(e: EnterpriseAccount, as_of: int) -> tuple[dict, list[dict], list[dict], list[dict]]:
    """(account, contacts, activities, leads) rows of one enterprise account, like `scenario_rows`."""
    account = {"id": e.account_id, **e.account, "parent_id": e.parent}
    domain = e.account["domain"]
    contacts = [{"id": e.contact_id(no), "email": f"{local or slug(first) + '.' + slug(last)}@{domain}",
                 "account_id": e.account_id, "first_name": first, "last_name": last, "title": title,
                 "seniority": seniority, "department": dept, "reports_to": None if boss is None else e.contact_id(boss),
                 "roles": [{"role": r, "buying_group": g, "source": src} for r, src, g in roles]}
                for no, first, last, title, seniority, dept, boss, roles, local in e.contacts]
    acts = sorted(((_at(as_of, d, hm), no, typ, asset, camp, ch) for no, typ, d, hm, asset, camp, ch in e.activities),
                  key=lambda r: (r[0], r[1], r[2]))
    activities = [{"id": f"act-{e.key}-{i:04d}", "contact_id": e.contact_id(no), "type": typ, "at": iso(t),
                   "asset": asset, "campaign": camp, "channel": ch}
                  for i, (t, no, typ, asset, camp, ch) in enumerate(acts, 1)]
    return account, contacts, activities, []


def with_enterprise(scenarios: tuple[Any, ...], scenario_rows: Any) -> tuple[tuple[Any, ...], Any]:
    """The scenario list with the enterprise accounts after it, and a row builder for both."""

    def rows(s: Any, as_of: int) -> tuple[dict, list[dict], list[dict], list[dict]]:
        return enterprise_rows(s, as_of) if isinstance(s, EnterpriseAccount) else scenario_rows(s, as_of)

    return (*scenarios, *ACCOUNTS), rows
