"""The hand-built graph every library test checks its numbers on (see the table in each test).

    account  segment     industry    stage changes (days from NOW; R = rules engine, P = a person)
    A1       enterprise  semis       R engaged -50, R mqa -40, R sql -30, P accept -30+10h,
                                     P open_opportunity -20, P won -10
    A2       enterprise  automation  R engaged -45, R mqa -35, R sql -25, P reject(no_budget) -23
    A3       mid_market  semis       R engaged -41, R mqa -38 (missing decision_maker, economic_buyer)
    A4       mid_market  automation  R engaged -30, R mqa -28, R back to engaged -5
    A5       smb         -           R target -> sql -12 (skips engaged and mqa), never acted on
    A6       smb         semis       R engaged -4, R mqa -1 (missing nothing)
    A7       enterprise  semis       none (target)
    A8       mid_market  automation  R engaged -20, R mqa -18, R sql -15, P reject(bad_timing) -15+5h
    A9       smb         semis       R engaged -9, R mqa -8, R sql -7, P reject(no_budget) -6
    A10      mid_market  semis       R engaged -10, R mqa -9 (missing decision_maker)

Leads (first touch wins): A1 webinar (-70; a trade_show lead at -10 is later), A2 trade_show,
A3 webinar, A5 website, A9 webinar.

Org chart of A3: c3-eng -> c3-mgr -> c3-vp (decision_maker, sales-confirmed, last active -200);
A1: c1-eng -> c1-vp (decision_maker, active -45). A10: c10-dm (decision_maker, never active) and
c10-x (active, no reporting line).
"""

from __future__ import annotations

from .graph import GraphBuilder, t

SEGMENTS = {"A1": "enterprise", "A2": "enterprise", "A3": "mid_market", "A4": "mid_market", "A5": "smb",
            "A6": "smb", "A7": "enterprise", "A8": "mid_market", "A9": "smb", "A10": "mid_market"}
INDUSTRIES = {"A1": "semis", "A2": "automation", "A3": "semis", "A4": "automation", "A6": "semis",
              "A7": "semis", "A8": "automation", "A9": "semis", "A10": "semis"}


def _contact(cid: str, account: str, title: str, reports_to: str | None = None, dm: bool = False) -> dict:
    row = {"id": cid, "email": f"{cid}@{account.lower()}.example", "account_id": account, "title": title}
    if reports_to:
        row["reports_to"] = reports_to
    if dm:
        row["roles"] = [{"role": "decision_maker", "source": "sales"}]
    return row


def _act(aid: str, contact: str, kind: str, days: float, asset: str | None = None, campaign: str | None = None):
    return {"id": aid, "contact_id": contact, "type": kind, "at": t(days), "asset": asset, "campaign": campaign}


def build(store) -> GraphBuilder:
    g = GraphBuilder(store)
    g.accounts(*[{"id": a, "name": f"Account {a}", "segment": s, "industry": INDUSTRIES.get(a)}
                 for a, s in SEGMENTS.items()])
    # Managers first: a reporting line must point at a contact that exists.
    g.contacts(_contact("c1-vp", "A1", "VP Engineering", dm=True), _contact("c3-vp", "A3", "VP Operations", dm=True),
               _contact("c10-dm", "A10", "Managing Director", dm=True))
    g.contacts(_contact("c1-eng", "A1", "Design Engineer", reports_to="c1-vp"),
               _contact("c3-mgr", "A3", "Engineering Manager", reports_to="c3-vp"),
               _contact("c2-eng", "A2", "Process Engineer"), _contact("c5-buyer", "A5", "Buyer"),
               _contact("c8-eng", "A8", "Test Engineer"), _contact("c9-eng", "A9", "Engineer"),
               _contact("c10-x", "A10", "Engineer"))
    g.contacts(_contact("c3-eng", "A3", "Test Engineer", reports_to="c3-mgr"))
    g.leads(
        {"id": "l1", "email": "c1-eng@a1.example", "source": "webinar", "created_at": t(-70)},
        {"id": "l1b", "email": "c1-vp@a1.example", "source": "trade_show", "created_at": t(-10)},
        {"id": "l2", "email": "c2-eng@a2.example", "source": "trade_show", "created_at": t(-60)},
        {"id": "l3", "email": "c3-eng@a3.example", "source": "webinar", "created_at": t(-50)},
        {"id": "l5", "email": "c5-buyer@a5.example", "source": "website", "created_at": t(-14)},
        {"id": "l9", "email": "c9-eng@a9.example", "source": "webinar", "created_at": t(-11)},
    )
    g.activities(
        _act("a11", "c1-eng", "content_download", -45, asset="wp-sic"),
        _act("a12", "c1-eng", "content_download", -44, asset="wp-sic"),
        _act("a13", "c1-eng", "webinar_attended", -41, asset="webinar-1", campaign="c-webinar-q3"),
        _act("a14", "c1-vp", "meeting_booked", -45),
        _act("a21", "c2-eng", "webinar_attended", -50, asset="webinar-1", campaign="c-webinar-q3"),
        _act("a22", "c2-eng", "content_download", -36, asset="wp-sic"),
        _act("a23", "c2-eng", "trade_show_visit", -30, campaign="c-tradeshow"),
        _act("a24", "c2-eng", "pricing_page_view", -20, asset="pricing"),
        _act("a25", "c2-eng", "email_click", -1, campaign="c-late"),
        _act("a31", "c3-eng", "content_download", -140, asset="wp-sic"),
        _act("a32", "c3-eng", "webinar_attended", -39, asset="webinar-1"),
        _act("a33", "c3-eng", "page_view", -2),
        _act("a34", "c3-mgr", "unsubscribe", -3),
        _act("a35", "c3-vp", "page_view", -200),
        _act("a51", "c5-buyer", "pricing_page_view", -13, asset="pricing"),
        _act("a81", "c8-eng", "webinar_attended", -22, asset="webinar-2", campaign="c-webinar-q3"),
        _act("a91", "c9-eng", "page_view", -9),
        _act("a101", "c10-x", "page_view", -10),
    )
    g.rules("A1", "engaged", t(-50))
    g.rules("A1", "mqa", t(-40))
    g.rules("A1", "sql", t(-30))
    g.person("A1", "accept", "accepted", t(-30, 10))
    g.person("A1", "open_opportunity", "opportunity", t(-20))
    g.person("A1", "won", "won", t(-10))
    g.rules("A2", "engaged", t(-45))
    g.rules("A2", "mqa", t(-35))
    g.rules("A2", "sql", t(-25))
    g.person("A2", "reject", "nurture", t(-25, 48), reason="no_budget")
    g.rules("A3", "engaged", t(-41))
    g.rules("A3", "mqa", t(-38), missing=("decision_maker", "economic_buyer"))
    g.rules("A4", "engaged", t(-30))
    g.rules("A4", "mqa", t(-28))
    g.rules("A4", "engaged", t(-5), missing=("decision_maker",), reason="engagement decayed below the MQA bar")
    g.rules("A5", "sql", t(-12))
    g.rules("A6", "engaged", t(-4))
    g.rules("A6", "mqa", t(-1))
    g.rules("A8", "engaged", t(-20))
    g.rules("A8", "mqa", t(-18))
    g.rules("A8", "sql", t(-15))
    g.person("A8", "reject", "nurture", t(-15, 5), reason="bad_timing")
    g.rules("A9", "engaged", t(-9))
    g.rules("A9", "mqa", t(-8))
    g.rules("A9", "sql", t(-7))
    g.person("A9", "reject", "nurture", t(-6), reason="no_budget")
    g.rules("A10", "engaged", t(-10))
    g.rules("A10", "mqa", t(-9), missing=("decision_maker",))
    return g


__all__ = ["build", "t"]
