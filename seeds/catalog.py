"""Vocabularies and the marketing catalog the generator draws from: activity types, roles,
industries, content assets, webinar topics and trade shows.

Everything here is plain data. The activity and role vocabularies are those of the default ruleset;
the seeds never use a value outside them.
"""

from __future__ import annotations

ACTIVITY_TYPES = (
    "page_view", "pricing_page_view", "capability_page_view", "content_download", "email_open",
    "email_click", "webinar_registered", "webinar_attended", "trade_show_visit", "form_submitted",
    "demo_request", "quote_request", "spec_shared", "meeting_booked", "contact_sales",
    "unsubscribe", "hard_bounce",
)
# Sales-side types the default ruleset scores for CRM imports (graphsvc.imports: Salesforce Tasks /
# Events, HubSpot engagements). The generator draws only ACTIVITY_TYPES; the vocabulary is both.
SALES_ACTIVITY_TYPES = ("call", "email_sent", "email_received", "meeting_held")
INTENT_TYPES = ("demo_request", "quote_request", "spec_shared", "meeting_booked", "contact_sales")

ROLES = (
    "decision_maker", "economic_buyer", "champion", "technical_evaluator", "influencer",
    "end_user", "procurement", "legal", "blocker",
)
ROLE_SOURCES = ("sales", "import")

SENIORITIES = ("c_level", "vp", "director", "manager", "senior", "individual")
# Org-chart level of each seniority: 0 is the top.
LEVEL = {s: i for i, s in enumerate(SENIORITIES)}

DEPARTMENTS = (
    "engineering", "operations", "manufacturing", "quality", "procurement", "finance", "it",
    "executive", "marketing", "sales", "legal", "r_and_d",
)

INDUSTRIES = (
    "industrial_automation", "semiconductors", "microelectronics", "test_and_measurement",
    "software",
)
SEGMENTS = ("enterprise", "mid_market", "smb")

# Channels an activity arrives through.
CHANNELS = ("email", "web", "paid_search", "social", "webinar", "event", "sales")

# Content and pages, by industry: (asset id, kind, name). Ids are what activities carry.
ASSETS_BY_INDUSTRY: dict[str, dict[str, list[tuple[str, str]]]] = {
    "industrial_automation": {
        "content": [
            ("wp-predictive-maintenance-plc", "Predictive maintenance on existing PLCs"),
            ("wp-servo-drive-efficiency", "Servo drive efficiency in packaging lines"),
            ("cs-packaging-line-retrofit", "Case study: packaging line retrofit"),
            ("ds-io-link-gateway", "Datasheet: IO-Link gateway"),
            ("eb-opc-ua-migration", "E-book: migrating to OPC UA"),
            ("wp-machine-vision-inline-inspection", "Inline inspection with machine vision"),
        ],
        "capability": [
            ("cap-motion-control", "Motion control"),
            ("cap-machine-vision", "Machine vision"),
            ("cap-line-integration", "Line integration"),
            ("cap-process-monitoring", "Inline process monitoring"),
        ],
        "pricing": [("pricing-automation-platform", "Pricing: automation platform")],
    },
    "semiconductors": {
        "content": [
            ("wp-sic-power-modules", "SiC power modules: qualification in practice"),
            ("wp-gan-reliability", "GaN reliability testing"),
            ("cs-wafer-prober-retrofit", "Case study: wafer prober retrofit"),
            ("ds-probe-card-analyzer", "Datasheet: probe card analyzer"),
            ("eb-yield-analytics", "E-book: yield analytics"),
            ("wp-wafer-level-reliability", "Wafer-level reliability at volume"),
        ],
        "capability": [
            ("cap-wafer-level-test", "Wafer-level test"),
            ("cap-burn-in", "Burn-in and HTOL"),
            ("cap-failure-analysis", "Failure analysis"),
        ],
        "pricing": [("pricing-test-cells", "Pricing: test cells")],
    },
    "microelectronics": {
        "content": [
            ("wp-advanced-packaging-inspection", "Inspection for advanced packaging"),
            ("wp-mems-calibration", "MEMS sensor calibration"),
            ("cs-smt-line-traceability", "Case study: SMT line traceability"),
            ("ds-x-ray-inspection", "Datasheet: inline X-ray inspection"),
            ("wp-sic-power-modules", "SiC power modules: qualification in practice"),
        ],
        "capability": [
            ("cap-failure-analysis", "Failure analysis"),
            ("cap-board-level-test", "Board-level test"),
            ("cap-wafer-level-test", "Wafer-level test"),
        ],
        "pricing": [("pricing-test-cells", "Pricing: test cells")],
    },
    "test_and_measurement": {
        "content": [
            ("wp-5g-rf-test", "5G RF test at production speed"),
            ("wp-emc-precompliance", "EMC pre-compliance in the lab"),
            ("cs-calibration-lab-automation", "Case study: calibration lab automation"),
            ("ds-modular-oscilloscope", "Datasheet: modular oscilloscope"),
            ("eb-measurement-uncertainty", "E-book: measurement uncertainty"),
        ],
        "capability": [
            ("cap-rf-test", "RF test systems"),
            ("cap-calibration-services", "Calibration services"),
            ("cap-board-level-test", "Board-level test"),
        ],
        "pricing": [("pricing-instruments", "Pricing: instruments")],
    },
    "software": {
        "content": [
            ("wp-mes-cloud-migration", "Moving MES to the cloud"),
            ("wp-digital-twin", "Digital twins for production lines"),
            ("cs-traceability-rollout", "Case study: traceability roll-out"),
            ("ds-edge-analytics", "Datasheet: edge analytics"),
            ("eb-industrial-data-platform", "E-book: the industrial data platform"),
        ],
        "capability": [
            ("cap-mes-integration", "MES integration"),
            ("cap-data-platform", "Industrial data platform"),
            ("cap-process-monitoring", "Inline process monitoring"),
        ],
        "pricing": [("pricing-subscriptions", "Pricing: subscriptions")],
    },
}

PAGES = (
    ("home", "Home"), ("about", "About us"), ("careers", "Careers"), ("events", "Events"),
    ("blog-downtime-costs", "Blog: what downtime really costs"),
    ("blog-test-time-reduction", "Blog: cutting test time"),
    ("blog-opc-ua-basics", "Blog: OPC UA basics"),
    ("blog-yield-learning", "Blog: faster yield learning"),
    ("products", "Products"), ("support", "Support"),
)

FORMS = (
    ("process-overview", "Form: process overview"),
    ("contact-form", "Form: contact us"),
    ("newsletter-signup", "Form: newsletter sign-up"),
    ("roi-calculator", "Form: ROI calculator"),
)

# Webinar topics: (slug, title, industry).
WEBINAR_TOPICS = (
    ("opc-ua-migration", "Migrating to OPC UA without downtime", "industrial_automation"),
    ("predictive-maintenance", "Predictive maintenance you can retrofit", "industrial_automation"),
    ("inline-process-monitoring", "Inline process monitoring", "industrial_automation"),
    ("sic-power-modules", "SiC power modules: qualification in practice", "semiconductors"),
    ("wafer-level-reliability", "Wafer-level reliability at volume", "semiconductors"),
    ("advanced-packaging", "Inspection for advanced packaging", "microelectronics"),
    ("5g-rf-test", "5G RF test at production speed", "test_and_measurement"),
    ("calibration-automation", "Automating the calibration lab", "test_and_measurement"),
    ("mes-cloud", "Moving MES to the cloud", "software"),
    ("digital-twin", "Digital twins for production lines", "software"),
)

# Trade shows (fictional): (slug, name, industries).
TRADE_SHOWS = (
    ("smart-automation-expo", "Smart Automation Expo", ("industrial_automation", "software")),
    ("semicon-process-summit", "Semicon Process Summit", ("semiconductors", "microelectronics")),
    ("test-measurement-forum", "Test & Measurement Forum", ("test_and_measurement", "microelectronics")),
    ("industrial-software-days", "Industrial Software Days", ("software", "industrial_automation")),
)


def asset_catalog() -> dict[str, dict[str, str]]:
    """Every asset id the generator can emit -> {"id", "name", "kind"}, for loaders that want
    to create Asset nodes with names."""
    out: dict[str, dict[str, str]] = {}
    for groups in ASSETS_BY_INDUSTRY.values():
        for kind, items in groups.items():
            for aid, name in items:
                out.setdefault(aid, {"id": aid, "name": name, "kind": kind})
    for aid, name in PAGES:
        out[aid] = {"id": aid, "name": name, "kind": "page"}
    for aid, name in FORMS:
        out[aid] = {"id": aid, "name": name, "kind": "form"}
    for slug, title, _ in WEBINAR_TOPICS:
        out[f"webinar-{slug}"] = {"id": f"webinar-{slug}", "name": title, "kind": "webinar"}
    return out
