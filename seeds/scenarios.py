"""Hand-written scenario accounts: the product's worked examples, with stable ids.

They are the first accounts of every generated dataset (unless `scenarios=False`), and their
activity times are set relative to the anchor ("d7" = seven days before it), so they mean the same
whatever `as_of` is. seeds/README.md tells each one's story; tests/test_seeds.py checks their shape.

* ``acc-brenner``   one process engineer: webinar + process-overview form -> contact MQL, no MQA/SQL
* ``acc-lumetra``   five engineers engaged + a spec shared, no decision maker engaged -> MQA, not SQL
* ``acc-castellan`` VP of Operations (decision maker) engaged + a quote request -> SQL
* ``acc-nordwerk``  enterprise: decision maker and technical evaluator engaged, economic buyer
  missing -> MQA, not SQL
"""

from __future__ import annotations

from dataclasses import dataclass

from .clock import DAY, day_start, iso
from .names import slug

_DM = [("decision_maker", "sales")]


@dataclass(frozen=True)
class Scenario:
    key: str
    account: dict
    # (no, first, last, title, seniority, department, reports_to no, [(role, source)], email local)
    contacts: tuple
    # (contact no, type, days ago, "HH:MM" UTC, asset, campaign, channel)
    activities: tuple
    # (no, contact no, source, days ago, "HH:MM")
    leads: tuple = ()
    story: str = ""
    # (contact no, what they are in the story)
    key_contacts: tuple = ()

    @property
    def account_id(self) -> str:
        return f"acc-{self.key}"

    def contact_id(self, no: int) -> str:
        return f"con-{self.key}-{no:02d}"


def _at(as_of: int, days_ago: int, hhmm: str) -> int:
    h, m = hhmm.split(":")
    return day_start(as_of) - days_ago * DAY + int(h) * 3600 + int(m) * 60


WEB_A = "webinar-inline-process-monitoring"
WEB_B = "webinar-wafer-level-reliability"
WEB_C = "webinar-calibration-automation"
WEB_D = "webinar-predictive-maintenance"

SCENARIOS = (
    Scenario(
        key="brenner",
        account=dict(name="Brenner Prozesstechnik GmbH", domain="brenner-prozesstechnik.example",
                     industry="industrial_automation", employees=250, annual_revenue=46_000_000,
                     country="DE", segment="mid_market", owner="lena.hofmann"),
        contacts=(
            (1, "Katrin", "Brenner", "Geschäftsführerin", "c_level", "executive", None, []),
            (2, "Sandra", "Roth", "Kaufmännische Leiterin", "director", "finance", 1, []),
            (3, "Michael", "Vogt", "Leiter Produktion", "director", "manufacturing", 1, []),
            (4, "Frank", "Ebert", "Einkaufsleiter", "director", "procurement", 2, []),
            (5, "Thomas", "Wendt", "Teamleiter Verfahrenstechnik", "manager", "engineering", 3, []),
            (6, "Jonas", "Keller", "Process Engineer", "individual", "engineering", 5, []),
            (7, "Lisa", "Neumann", "Prüfingenieurin", "individual", "quality", 5, []),
            (8, "Markus", "Seidel", "Qualitätsingenieur", "individual", "quality", 5, []),
        ),
        activities=(
            (6, "email_open", 11, "07:42", None, f"{WEB_A}-live", "email"),
            (6, "webinar_registered", 10, "08:05", WEB_A, f"{WEB_A}-live", "webinar"),
            (6, "email_open", 8, "06:58", None, f"{WEB_A}-live", "email"),
            (6, "webinar_attended", 7, "14:00", WEB_A, f"{WEB_A}-live", "webinar"),
            (6, "page_view", 5, "09:12", "process-overview", None, "web"),
            (6, "form_submitted", 5, "09:16", "process-overview", f"{WEB_A}-live", "web"),
            (6, "email_open", 4, "08:30", None, "nl-current", "email"),
        ),
        leads=((1, 6, "webinar", 10, "08:05"),),
        story="One process engineer registered (d10) for and attended (d7) a webinar, submitted the "
              "process-overview form (d5) and opened a few e-mails: a contact MQL, but one engaged "
              "contact is no MQA and there is no intent, so no SQL.",
        key_contacts=((6, "Process Engineer: the only engaged contact (MQL)"),
                      (3, "Leiter Produktion: decision-maker candidate, not engaged")),
    ),
    Scenario(
        key="lumetra",
        account=dict(name="Lumetra Semiconductor B.V.", domain="lumetra-semiconductor.example",
                     industry="semiconductors", employees=400, annual_revenue=118_000_000,
                     country="NL", segment="mid_market", owner="pieter.van.loon"),
        contacts=(
            (1, "Pieter", "van Dam", "Chief Executive Officer", "c_level", "executive", None, []),
            (2, "Marieke", "Jansen", "Chief Financial Officer", "c_level", "finance", 1, []),
            (3, "Ruud", "Bakker", "VP Operations", "vp", "operations", 1, []),
            (4, "Sanne", "de Boer", "Director of Engineering", "director", "engineering", 3, []),
            (5, "Esther", "Kok", "Procurement Manager", "manager", "procurement", 2, []),
            (6, "Joost", "Visser", "Engineering Manager", "manager", "engineering", 4, []),
            (7, "Lars", "Hendriks", "Senior Test Engineer", "senior", "engineering", 6,
             [("champion", "sales")]),
            (8, "Femke", "Smit", "Process Integration Engineer", "individual", "engineering", 6,
             [("technical_evaluator", "import")]),
            (9, "Bram", "Mulder", "Yield Engineer", "individual", "engineering", 6, []),
            (10, "Anouk", "Meijer", "Equipment Engineer", "individual", "engineering", 6, []),
            (11, "Thijs", "de Wit", "Reliability Engineer", "individual", "quality", 6, []),
        ),
        activities=(
            (7, "email_open", 40, "08:10", None, f"{WEB_B}-live", "email"),
            (10, "trade_show_visit", 35, "10:30", None, "ts-semicon-process-summit", "event"),
            (7, "webinar_registered", 30, "09:20", WEB_B, f"{WEB_B}-live", "webinar"),
            (8, "webinar_registered", 30, "11:02", WEB_B, f"{WEB_B}-live", "webinar"),
            (11, "webinar_registered", 30, "13:45", WEB_B, f"{WEB_B}-live", "webinar"),
            (7, "webinar_attended", 27, "15:00", WEB_B, f"{WEB_B}-live", "webinar"),
            (8, "webinar_attended", 27, "15:01", WEB_B, f"{WEB_B}-live", "webinar"),
            (7, "content_download", 26, "09:40", "wp-wafer-level-reliability", None, "web"),
            (8, "content_download", 25, "10:15", "wp-sic-power-modules", None, "web"),
            (9, "page_view", 22, "08:50", "blog-yield-learning", None, "web"),
            (9, "content_download", 22, "08:55", "eb-yield-analytics", None, "web"),
            (10, "capability_page_view", 21, "13:20", "cap-burn-in", None, "web"),
            (7, "capability_page_view", 20, "10:05", "cap-wafer-level-test", None, "web"),
            (11, "content_download", 19, "14:30", "wp-gan-reliability", None, "web"),
            (8, "capability_page_view", 18, "09:30", "cap-wafer-level-test", None, "web"),
            (10, "content_download", 16, "11:10", "cs-wafer-prober-retrofit", None, "web"),
            (8, "email_click", 15, "07:55", "wp-wafer-level-reliability", "nurture-semiconductors", "email"),
            (9, "capability_page_view", 14, "15:40", "cap-failure-analysis", None, "web"),
            (11, "capability_page_view", 13, "10:25", "cap-burn-in", None, "web"),
            (7, "capability_page_view", 12, "16:10", "cap-burn-in", None, "web"),
            (7, "content_download", 11, "09:00", "ds-probe-card-analyzer", None, "web"),
            (9, "email_open", 10, "07:30", None, "nurture-semiconductors", "email"),
            (8, "capability_page_view", 9, "10:45", "cap-burn-in", None, "web"),
            (7, "spec_shared", 8, "13:05", None, None, "email"),
            (9, "content_download", 6, "11:35", "wp-gan-reliability", None, "web"),
            (10, "email_open", 5, "08:20", None, "nl-current", "email"),
            (11, "page_view", 4, "09:05", "blog-test-time-reduction", None, "web"),
            (8, "content_download", 3, "14:50", "ds-probe-card-analyzer", None, "web"),
        ),
        story="400 employees. Five engineers engaged over the last six weeks (downloads, capability "
              "pages, a webinar, a trade-show scan) and the senior test engineer shared a spec (d8): "
              "an MQA with intent, but no decision maker has engaged, so not an SQL. The VP Operations "
              "and the Director of Engineering above them have not engaged: candidates, with a "
              "reporting path from the engineers (07 -> 06 -> 04 -> 03).",
        key_contacts=((7, "Senior Test Engineer: champion (sales), shared the spec"),
                      (8, "Process Integration Engineer: technical_evaluator (import)"),
                      (9, "Yield Engineer: engaged"), (10, "Equipment Engineer: engaged"),
                      (11, "Reliability Engineer: engaged"),
                      (6, "Engineering Manager: not engaged, on the path"),
                      (4, "Director of Engineering: decision-maker candidate, not engaged"),
                      (3, "VP Operations: decision-maker candidate, not engaged")),
    ),
    Scenario(
        key="castellan",
        account=dict(name="Castellan Test Systems Ltd", domain="castellan-testsystems.example",
                     industry="test_and_measurement", employees=300, annual_revenue=64_000_000,
                     country="GB", segment="mid_market", owner="sophie.bennett"),
        contacts=(
            (1, "Richard", "Hale", "Managing Director", "c_level", "executive", None, []),
            (2, "Claire", "Whitfield", "VP of Operations", "vp", "operations", 1, _DM),
            (3, "Andrew", "Moss", "Finance Director", "director", "finance", 1, []),
            (4, "Daniel", "Price", "Test Engineering Manager", "manager", "engineering", 2, []),
            (5, "Helen", "Shaw", "Procurement Manager", "manager", "procurement", 3, []),
            (6, "Gary", "Osborne", "IT Manager", "manager", "it", 3, []),
            (7, "Priya", "Nair", "Senior Test Engineer", "senior", "engineering", 4,
             [("technical_evaluator", "sales"), ("champion", "sales")]),
            (8, "Tom", "Fletcher", "Calibration Engineer", "individual", "quality", 4, []),
        ),
        activities=(
            (2, "webinar_registered", 30, "10:12", WEB_C, f"{WEB_C}-live", "webinar"),
            (7, "webinar_registered", 30, "10:40", WEB_C, f"{WEB_C}-live", "webinar"),
            (2, "webinar_attended", 26, "14:00", WEB_C, f"{WEB_C}-live", "webinar"),
            (7, "webinar_attended", 26, "14:02", WEB_C, f"{WEB_C}-live", "webinar"),
            (7, "content_download", 24, "09:15", "wp-5g-rf-test", None, "web"),
            (8, "content_download", 22, "11:30", "cs-calibration-lab-automation", None, "web"),
            (4, "content_download", 20, "08:45", "eb-measurement-uncertainty", None, "web"),
            (7, "capability_page_view", 18, "13:10", "cap-rf-test", None, "web"),
            (7, "demo_request", 16, "13:25", "cap-rf-test", None, "web"),
            (4, "capability_page_view", 15, "10:00", "cap-calibration-services", None, "web"),
            (2, "capability_page_view", 14, "16:20", "cap-rf-test", None, "web"),
            (8, "capability_page_view", 12, "09:40", "cap-calibration-services", None, "web"),
            (7, "spec_shared", 9, "11:05", None, None, "email"),
            (4, "email_open", 9, "07:50", None, "nurture-test_and_measurement", "email"),
            (2, "pricing_page_view", 8, "17:30", "pricing-instruments", None, "web"),
            (8, "page_view", 7, "12:15", "products", None, "web"),
            (2, "email_click", 6, "08:05", "cap-rf-test", "nurture-test_and_measurement", "email"),
            (2, "meeting_booked", 5, "15:00", None, None, "sales"),
            (5, "pricing_page_view", 4, "10:30", "pricing-instruments", None, "web"),
            (2, "pricing_page_view", 3, "09:45", "pricing-instruments", None, "web"),
            (5, "quote_request", 2, "11:20", "pricing-instruments", None, "web"),
        ),
        story="300 employees. The VP of Operations (decision_maker, confirmed by sales) attended a "
              "webinar, looked at pricing and booked a meeting (d5); engineers evaluated (demo request, "
              "spec shared) and procurement sent a quote request (d2): an SQL.",
        key_contacts=((2, "VP of Operations: decision_maker (sales), engaged"),
                      (7, "Senior Test Engineer: technical_evaluator + champion (sales)"),
                      (5, "Procurement Manager: sent the quote request")),
    ),
    Scenario(
        key="nordwerk",
        account=dict(name="Nordwerk Industrietechnik AG", domain="nordwerk-industrietechnik.example",
                     industry="industrial_automation", employees=4800, annual_revenue=1_150_000_000,
                     country="DE", segment="enterprise", owner="tobias.krause"),
        contacts=(
            (1, "Heinrich", "Albers", "Vorstandsvorsitzender", "c_level", "executive", None, []),
            (2, "Claudia", "Berger", "Finanzvorstand", "c_level", "finance", 1, []),
            (3, "Ralf", "Zimmermann", "Chief Operating Officer", "c_level", "operations", 1, []),
            (4, "Stefan", "Krüger", "Leiter Produktion", "director", "manufacturing", 3, _DM),
            (5, "Petra", "Lehmann", "Leiter Controlling", "director", "finance", 2, []),
            (6, "Andreas", "Fuchs", "Leiter Automatisierungstechnik", "director", "engineering", 3, []),
            (7, "Jörg", "Hahn", "Einkaufsleiter", "director", "procurement", 2, []),
            (8, "Miriam", "Scholz", "Qualitätsmanager", "manager", "quality", 4, []),
            (9, "Uwe", "Brandt", "Instandhaltungsleiter", "manager", "manufacturing", 4, []),
            (10, "Florian", "Wagner", "Senior Automation Engineer", "senior", "engineering", 6,
             [("technical_evaluator", "sales")]),
            (11, "Nina", "Schulz", "Strategischer Einkäufer", "senior", "procurement", 7, []),
            (12, "Tim", "Becker", "Automatisierungsingenieur", "individual", "engineering", 6, []),
            (13, "Jan", "Richter", "Inbetriebnahmeingenieur", "individual", "engineering", 6, []),
        ),
        activities=(
            (13, "trade_show_visit", 40, "10:20", None, "ts-smart-automation-expo", "event"),
            (10, "content_download", 28, "08:40", "wp-predictive-maintenance-plc", None, "web"),
            (4, "webinar_registered", 25, "09:10", WEB_D, f"{WEB_D}-live", "webinar"),
            (10, "webinar_registered", 25, "09:30", WEB_D, f"{WEB_D}-live", "webinar"),
            (4, "webinar_attended", 21, "14:00", WEB_D, f"{WEB_D}-live", "webinar"),
            (10, "webinar_attended", 21, "14:01", WEB_D, f"{WEB_D}-live", "webinar"),
            (12, "content_download", 19, "13:15", "eb-opc-ua-migration", None, "web"),
            (10, "capability_page_view", 15, "10:50", "cap-motion-control", None, "web"),
            (13, "content_download", 14, "08:05", "cs-packaging-line-retrofit", None, "web"),
            (9, "email_open", 13, "06:45", None, "nurture-industrial_automation", "email"),
            (4, "pricing_page_view", 12, "16:40", "pricing-automation-platform", None, "web"),
            (12, "capability_page_view", 11, "11:20", "cap-line-integration", None, "web"),
            (13, "capability_page_view", 10, "14:35", "cap-motion-control", None, "web"),
            (10, "demo_request", 9, "09:55", "cap-motion-control", None, "web"),
            (9, "content_download", 9, "10:30", "wp-predictive-maintenance-plc", None, "web"),
            (12, "email_click", 8, "07:20", "eb-opc-ua-migration", "nurture-industrial_automation", "email"),
            (4, "meeting_booked", 7, "13:00", None, None, "sales"),
            (10, "spec_shared", 6, "15:10", None, None, "email"),
            (4, "capability_page_view", 5, "08:25", "cap-line-integration", None, "web"),
        ),
        leads=((1, 13, "trade_show", 40, "10:20"),),
        story="4,800 employees (enterprise: decision_maker, economic_buyer and technical_evaluator "
              "required). The Leiter Produktion (decision_maker, sales) booked a meeting, the senior "
              "automation engineer (technical_evaluator, sales) requested a demo and shared a spec; "
              "nobody in finance has engaged: an MQA, not an SQL, economic_buyer missing.",
        key_contacts=((4, "Leiter Produktion: decision_maker (sales), engaged"),
                      (10, "Senior Automation Engineer: technical_evaluator (sales), engaged"),
                      (2, "Finanzvorstand: economic-buyer candidate, not engaged"),
                      (5, "Leiter Controlling: economic-buyer candidate, not engaged")),
    ),
)

BY_KEY = {s.key: s for s in SCENARIOS}

# What each scenario shows -> its account id.
SCENARIO_ACCOUNTS = {
    "contact_mql_not_sql": "acc-brenner",
    "mqa_without_decision_maker": "acc-lumetra",
    "sql_vp_operations_quote": "acc-castellan",
    "enterprise_missing_economic_buyer": "acc-nordwerk",
}


def scenario_rows(s: Scenario, as_of: int) -> tuple[dict, list[dict], list[dict], list[dict]]:
    """(account, contacts, activities, leads) rows of one scenario, for anchor `as_of`."""
    account = {"id": s.account_id, **s.account, "parent_id": None}
    account = {k: account[k] for k in ("id", "name", "domain", "industry", "employees", "annual_revenue",
                                       "country", "segment", "owner", "parent_id")}
    domain = s.account["domain"]
    people = {}
    contacts = []
    for no, first, last, title, seniority, dept, boss, roles in s.contacts:
        email = f"{slug(first)}.{slug(last)}@{domain}"
        row = {"id": s.contact_id(no), "email": email, "account_id": s.account_id, "first_name": first,
               "last_name": last, "title": title, "seniority": seniority, "department": dept,
               "reports_to": None if boss is None else s.contact_id(boss),
               "roles": [{"role": r, "buying_group": "default", "source": src} for r, src in roles]}
        people[no] = row
        contacts.append(row)
    acts = sorted(((_at(as_of, d, hm), no, typ, asset, camp, ch) for no, typ, d, hm, asset, camp, ch in s.activities),
                  key=lambda r: (r[0], r[1], r[2]))
    activities = [{"id": f"act-{s.key}-{i:04d}", "contact_id": s.contact_id(no), "type": typ, "at": iso(t),
                   "asset": asset, "campaign": camp, "channel": ch}
                  for i, (t, no, typ, asset, camp, ch) in enumerate(acts, 1)]
    leads = []
    for no, contact_no, source, d, hm in s.leads:
        c = people[contact_no]
        leads.append({"id": f"lead-{s.key}-{no:02d}", "email": c["email"], "company": s.account["name"],
                      "title": c["title"], "source": source, "created_at": iso(_at(as_of, d, hm))})
    return account, contacts, activities, leads
