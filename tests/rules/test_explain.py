"""`evaluate(..., explain=False)`: the store's writes skip building what only a reader looks at
(per-contact results, top contacts, top activities) and must keep every other field exactly as
`explain=True` gives it: the stage, reason, scores, both gates with their details, the buying
center, the next action, the groups and `requalify_at` are what the store records and what a stage
change's event carries. Pure tests over random accounts."""

from __future__ import annotations

import dataclasses
import random

import pytest

from graphsvc.rules import evaluate
from graphsvc.rules.snapshot import RoleAssignment

from .factory import DAY, NOW, RS, account, engaged, ruleset_with

TYPES = ["page_view", "content_download", "webinar_attended", "quote_request", "demo_request", "pricing_page_view",
         "unsubscribe"]
TITLES = ["Test Engineer", "VP Operations", "CFO", "Process Engineer", "Head of Procurement", "Assistant", None]
RULESETS = [
    RS,
    ruleset_with("[mqa]\nmin_score = 30.0\n[sql]\nrole_engagement_days = 20.0\n"),
    ruleset_with("[activities]\nhalf_life_days = 3.0\n[stages]\nhold_days = 0.0\n"),
]


def random_account(rnd: random.Random):
    people = []
    for i in range(rnd.randint(0, 9)):
        t = rnd.choice(TYPES)
        roles = tuple(
            RoleAssignment(rnd.choice(["decision_maker", "champion", "economic_buyer", "technical_evaluator"]),
                           rnd.choice(["sales", "import", "inferred"]), rnd.choice([0.0, 0.4, 0.8, 1.0]),
                           rnd.choice(["default", "default", "retrofit"]))
            for _ in range(rnd.choice([0, 0, 0, 1, 2]))
        )
        people.append(engaged(
            f"c{i}", rnd.choice([rnd.uniform(0, 60), 0.5, 10.0, 40.0]) * (-1 if t == "unsubscribe" else 1),
            rnd.choice(TITLES), type=t, days_ago=rnd.uniform(0, 120), roles=roles,
            reports_to=rnd.choice([None, None, f"c{rnd.randint(0, 9)}"]),
            email=rnd.choice([None, f"c{i}@acme.example", f"c{i}@gmail.com"]),
            status=rnd.choice([None, None, "unsubscribed"]), first_name=rnd.choice([None, "Ada"]),
        ))
    return account(*people, stage=rnd.choice(["target", "engaged", "mqa", "sql", "nurture", "accepted"]),
                   stage_since=NOW - rnd.uniform(0, 40) * DAY, qualified_at=NOW - rnd.uniform(0, 20) * DAY,
                   domain=rnd.choice(["acme.example", "acme.example", "gmail.com"]))


@pytest.mark.parametrize("seed", range(300))
def test_without_explanation_every_recorded_field_is_the_same(seed):
    rnd = random.Random(seed)
    snap, rs = random_account(rnd), rnd.choice(RULESETS)
    as_of = NOW + rnd.choice([0.0, rnd.uniform(0, 60) * DAY])
    full = evaluate(snap, rs, as_of)
    lean = evaluate(snap, rs, as_of, explain=False)
    assert full.explained and not lean.explained
    assert lean.contacts == lean.top_contacts == lean.top_activities == ()
    assert lean == dataclasses.replace(full, contacts=(), top_contacts=(), top_activities=(), explained=False)


def test_the_explained_flag_stays_out_of_the_apis_json_but_says_so_when_false():
    snap = account(engaged("c1", 40.0, "VP Operations"), engaged("c2", 12.0, "Test Engineer"))
    full = evaluate(snap, RS, NOW)
    assert "explained" not in full.to_dict() and full.to_dict()["contacts"]
    lean = evaluate(snap, RS, NOW, explain=False).to_dict()
    assert lean["explained"] is False and lean["contacts"] == [] and lean["top_activities"] == []
