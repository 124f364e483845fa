"""Backtest, pure: the metrics on a hand-built set of entries and outcomes with known numbers, and the
replay of one account over time (holds, roles as they were known)."""

from __future__ import annotations

from graphsvc.lab.backtest import Outcome, Replay, metrics, steps
from graphsvc.rules import (
    AccountSnapshot,
    Activity,
    ContactSnapshot,
    RoleAssignment,
    default_ruleset,
    summarize,
)

D = 86400.0


def test_metrics_on_a_hand_built_history():
    entries = {  # account -> (first MQA, first SQL), in days
        "a": (10, 20), "b": (10, 30), "c": (20, 50), "d": (30, None), "e": (None, None), "f": (None, None),
        "g": (40, None), "h": (60, 60),
    }
    entries = {k: (m * D if m is not None else None, s * D if s is not None else None) for k, (m, s) in entries.items()}
    outcomes = {"a": Outcome(True, 40 * D), "b": Outcome(True, 90 * D), "c": Outcome(False, 60 * D),
                "d": Outcome(True, 70 * D), "e": Outcome(True, 50 * D), "g": Outcome(False, 80 * D),
                "h": Outcome(True, 55 * D), "zz": Outcome(True, 10 * D)}  # zz: not in the replay, ignored
    m = metrics(entries, outcomes, start=0.0, end=100 * D, horizon_s=30 * D)
    assert m == {
        "accounts": 8, "won_in_period": 5, "base_rate": 0.625, "mqa_accounts": 6, "sql_accounts": 4,
        "sql_won_within_horizon": 1,  # only a: won 20 days after becoming SQL (b: 60 days, h: won before)
        "sql_precision": 0.25, "sql_recall": 0.2, "lift": 0.4,
        "mqa_to_sql": 0.6667, "sql_to_won": 0.5,  # a and b were won after becoming SQL
        "median_days_mqa_to_won": 40.0,  # a 30, b 80, d 40 (h was won before its MQA)
        "median_days_sql_to_won": 40.0,  # a 20, b 60
        "leakage": 2, "leakage_share": 0.4,  # e never MQA, h MQA only after being won
        "inflation": 1, "inflation_share": 0.25,  # c lost after becoming SQL
    }


def test_empty_replay_has_no_shares():
    m = metrics({}, {}, start=0.0, end=D, horizon_s=D)
    assert m["sql_precision"] is None and m["lift"] is None and m["accounts"] == 0


def _world() -> list[tuple[str, ContactSnapshot, list[Activity]]]:
    """acme's engineers engage every 10 days; e1 asks for a quote on day 45; `boss` engaged on day 44
    and was imported as decision maker on day 50."""
    bundle = [("webinar_attended", 0), ("content_download", 0), ("content_download", 0),
              ("capability_page_view", 0), ("capability_page_view", 0), ("capability_page_view", 0)]
    people = []
    for cid in ("e1", "e2", "e3"):
        acts = [Activity(f"{cid}-{day}-{i}", t, day * D, cid) for day in range(0, 61, 10)
                for i, (t, _) in enumerate(bundle)]
        if cid == "e1":
            acts.append(Activity("q", "quote_request", 45 * D, cid))
        people.append((cid, ContactSnapshot(id=cid, title="Process Engineer", seniority="individual",
                                            department="engineering"), acts))
    boss = ContactSnapshot(id="boss", title="Coordinator", seniority="individual", department="operations",
                           roles=(RoleAssignment("decision_maker", "import", 1.0, "default", at=50 * D),))
    people.append(("boss", boss, [Activity("b1", "webinar_attended", 44 * D, "boss"),
                                  Activity("b2", "pricing_page_view", 44 * D, "boss")]))
    return people


def snapshot_at(t: float) -> AccountSnapshot:
    contacts = tuple(ContactSnapshot(**{**{f: getattr(c, f) for f in c.__slots__}, "stats": summarize(acts, 30.0, t)})
                     for _, c, acts in _world())
    return AccountSnapshot(id="acme", name="Acme", domain="acme.example", industry="industrial automation",
                           employees=400, annual_revenue=8e7, country="DE", segment="mid_market", contacts=contacts)


def test_replay_enters_sql_only_once_the_decision_maker_was_known():
    replay = Replay(default_ruleset())
    for t in steps(0.0, 60 * D, 5 * D):
        replay.feed(t, [snapshot_at(t)])
    mqa_at, sql_at = replay.entries()["acme"]
    assert mqa_at == 0.0
    # the quote is on day 45, but the decision maker was only imported on day 50
    assert sql_at == 50 * D
    assert replay.state["acme"].stage == "sql"


def test_a_role_recorded_at_the_steps_own_moment_is_known_even_when_its_time_reads_a_hair_late():
    """FalkorDB hands back an epoch float with 15 significant digits: a role stored at the step's very
    moment (the demo's roles, recorded at load time and replayed at "now") can read ~10 us late. It is
    known at that step on both engines; a role a second later is not."""
    from graphsvc.lab.backtest import as_known

    now = 1_796_101_442.48947012
    role = RoleAssignment("champion", "sales", 1.0, "default", at=float(f"{now:.15g}") + 1e-5)
    later = RoleAssignment("decision_maker", "sales", 1.0, "default", at=now + 1.0)
    snap = snapshot_at(0.0)
    c = snap.contacts[0]
    snap = AccountSnapshot(**{**{f: getattr(snap, f) for f in snap.__slots__},
                              "contacts": (ContactSnapshot(**{**{f: getattr(c, f) for f in c.__slots__},
                                                              "roles": (role, later)}),) + snap.contacts[1:]})
    known = as_known(snap, now).contacts[0].roles
    assert [r.role for r in known] == ["champion"]
