"""Issue 12, SLA timers: due times in wall-clock or business hours (pure, any time zone), the
reminder and breach events (an injected clock; written once, only while sales has not acted), and
the SLA state on the board and in readiness, on both engines."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from conftest import NOW
from test_events_outbox import feed, make_sql

from graphsvc.events.sla import SlaTimer
from graphsvc.qualification.registry import active_ruleset
from graphsvc.rules import default_ruleset, due_at, load_ruleset, ruleset_errors, sla_status
from graphsvc.rules.ruleset import Sla

BERLIN = ZoneInfo("Europe/Berlin")
HOUR = 3600.0


def berlin(*args) -> float:
    return datetime(*args, tzinfo=BERLIN).timestamp()


OFFICE = Sla(timezone="Europe/Berlin", business_hours=[9, 17], business_days=[1, 2, 3, 4, 5], reminder_hours=2.0)


def test_wall_clock_sla_by_default():
    sla = default_ruleset().sla
    assert (sla.sql_hours, sla.mqa_hours, sla.reminder_hours, sla.business_hours) == (24.0, 72.0, 4.0, None)
    assert due_at(NOW, 24, sla) == NOW + 24 * HOUR
    s = sla_status("sql", NOW, sla, NOW + 20 * HOUR)
    assert (s.due_at, s.reminder_at, s.state) == (NOW + 24 * HOUR, NOW + 20 * HOUR, "due_soon")
    assert sla_status("sql", NOW, sla, NOW + 19 * HOUR).state == "on_time"
    assert sla_status("sql", NOW, sla, NOW + 24 * HOUR).state == "breached"
    assert sla_status("mqa", NOW, sla, NOW).due_at == NOW + 72 * HOUR
    assert sla_status("accepted", NOW, sla, NOW) is None and sla_status("sql", None, sla, NOW) is None


def test_business_hours_skip_nights_and_weekends_in_the_local_time_zone():
    # Friday 16:00 in Berlin + 8 business hours: 1 h on Friday, 7 h on Monday from 09:00 -> Monday 16:00
    assert due_at(berlin(2026, 11, 6, 16, 0), 8, OFFICE) == berlin(2026, 11, 9, 16, 0)
    # reached on Saturday night: the clock starts Monday 09:00
    assert due_at(berlin(2026, 11, 7, 23, 0), 2, OFFICE) == berlin(2026, 11, 9, 11, 0)
    # before opening on a weekday: from 09:00 that day; exactly the day's remaining hours: at closing
    assert due_at(berlin(2026, 11, 10, 6, 0), 8, OFFICE) == berlin(2026, 11, 10, 17, 0)
    # across the end of daylight saving time (25 October 2026): the window is local wall-clock time
    assert due_at(berlin(2026, 10, 23, 16, 0), 8, OFFICE) == berlin(2026, 10, 26, 16, 0)
    # 24 SLA hours = three working days
    assert due_at(berlin(2026, 11, 9, 9, 0), 24, OFFICE) == berlin(2026, 11, 11, 17, 0)
    # another zone: New York office hours, the same UTC instant
    ny = OFFICE.model_copy(update={"timezone": "America/New_York"})
    start = datetime(2026, 11, 9, 15, 0, tzinfo=ZoneInfo("UTC")).timestamp()  # 10:00 in New York
    assert due_at(start, 8, ny) == datetime(2026, 11, 10, 10, 0, tzinfo=ZoneInfo("America/New_York")).timestamp()
    # round the clock on every day of the week: business hours [0, 24] are wall-clock hours
    always = OFFICE.model_copy(update={"business_hours": [0, 24], "business_days": [1, 2, 3, 4, 5, 6, 7]})
    assert due_at(berlin(2026, 11, 6, 16, 0), 30, always) == berlin(2026, 11, 6, 16, 0) + 30 * HOUR
    s = sla_status("sql", berlin(2026, 11, 6, 16, 0), OFFICE.model_copy(update={"sql_hours": 8.0}),
                   berlin(2026, 11, 9, 14, 30))
    assert (s.reminder_at, s.state) == (berlin(2026, 11, 9, 14, 0), "due_soon")  # 2 h before Monday 16:00


@pytest.mark.parametrize(("toml", "path"), [
    ('timezone = "Mars/Olympus"', "sla.timezone"), ("business_hours = [17, 9]", "sla.business_hours"),
    ("business_hours = [9]", "sla.business_hours"), ("business_days = []", "sla.business_days"),
    ("business_days = [0]", "sla.business_days"), ("reminder_hours = -1.0", "sla.reminder_hours")])
def test_bad_sla_settings_are_refused_with_their_path(toml, path):
    errors = ruleset_errors("[sla]\n" + toml + "\n", merge_defaults=True)
    assert errors and any(e["path"].startswith(path) for e in errors), errors


def test_a_business_hours_ruleset_loads():
    rs = load_ruleset('[sla]\ntimezone = "Europe/Berlin"\nbusiness_hours = [9, 17]\n', merge_defaults=True)
    assert rs.sla.business_hours == [9, 17] and rs.sla.timezone == "Europe/Berlin"


def timer(client):
    state = client.app.state.graphsvc
    return SlaTimer(state, lambda: active_ruleset(state), 0)


def sla_events(client):
    return feed(client, types="sla_reminder,sla_breached")["events"]


def test_reminder_then_breach_once_each_while_sales_does_not_act(client, clock):
    make_sql(client)  # acme reaches SQL at NOW: due NOW + 24 h, reminder at NOW + 20 h
    board = client.get("/v1/accounts", params={"stage": "sql"}).json()["items"]
    assert board[0]["sla"]["state"] == "on_time" and board[0]["sla"]["due_at"] == "2026-11-02T12:00:00Z"
    ready = client.get("/v1/accounts/acme/readiness").json()
    assert ready["sla"] == board[0]["sla"] and ready["next_action"]["due_at"] == ready["sla"]["due_at"]
    t = timer(client)
    assert t.run_once() == {"reminders": 0, "breaches": 0}
    clock.advance(20 * HOUR)
    assert t.run_once() == {"reminders": 1, "breaches": 0}
    assert t.run_once() == {"reminders": 0, "breaches": 0}  # once
    assert client.get("/v1/accounts", params={"stage": "sql"}).json()["items"][0]["sla"]["state"] == "due_soon"
    clock.advance(4 * HOUR)
    assert t.run_once() == {"reminders": 0, "breaches": 1}
    assert t.run_once() == {"reminders": 0, "breaches": 0}
    events = sla_events(client)
    assert [(e["type"], e["account_id"], e["data"]["state"], e["data"]["due_at"]) for e in events] == [
        ("sla_reminder", "acme", "due_soon", "2026-11-02T12:00:00Z"),
        ("sla_breached", "acme", "breached", "2026-11-02T12:00:00Z")]
    assert events[0]["actor"].startswith("rules@") and events[1]["id"] > events[0]["id"]
    assert client.get("/v1/accounts/acme/readiness").json()["sla"]["state"] == "breached"


def test_no_breach_when_sales_acted_in_time(client, clock):
    make_sql(client)
    t = timer(client)
    clock.advance(21 * HOUR)
    assert t.run_once()["reminders"] == 1
    client.post("/v1/accounts/acme/transitions", json={"action": "accept", "actor": "sam"})
    clock.advance(10 * HOUR)
    assert t.run_once() == {"reminders": 0, "breaches": 0}
    assert [e["type"] for e in sla_events(client)] == ["sla_reminder"]
    assert client.get("/v1/accounts/acme/readiness").json()["sla"] is None


def test_an_sla_event_for_a_stage_entry_that_is_over_writes_nothing(client, store):
    """Sales acting between the timer's read and its write wins: the statement checks the stage entry."""
    make_sql(client)
    args = {"id": "acme", "stage": "sql", "kind": "breach", "now": NOW, "actor": "rules@x", "event": "{}"}
    assert store.write("events/sla_event", since=NOW - 1, **args) == []  # another stage entry
    assert store.write("events/sla_event", since=NOW, **{**args, "stage": "mqa"}) == []
    assert sla_events(client) == []
    assert len(store.write("events/sla_event", since=NOW, **args)) == 1
    assert store.write("events/sla_event", since=NOW, **args) == []  # marked: never twice
    assert store.write("events/sla_event", since=NOW, **{**args, "kind": "reminder"}) == []  # a breach covers it
    assert [e["type"] for e in sla_events(client)] == ["sla_breached"]


def test_the_timer_sees_every_candidate_once_across_pages(client, store, monkeypatch):
    """Candidates are read a page at a time in id order (large pages: each read takes every
    candidate): with pages of 2, each of five SQL / MQA accounts long past its SLA gets one breach,
    and accounts in other stages none."""
    from graphsvc.events import sla

    stages = ["sql", "target", "mqa", "won", "sql", "mqa", "lost", "sql"]
    store.executor.write("UNWIND $rows AS r CREATE (a:Account {id: r.id, name: r.id}) "
                         "SET a.stage = r.stage, a.stage_since = r.since",
                         {"rows": [{"id": f"s{i}", "stage": s, "since": NOW - 30 * 24 * HOUR} for i, s in enumerate(stages)]})
    candidates = [f"s{i}" for i, s in enumerate(stages) if s in ("sql", "mqa")]
    assert [r["id"] for r in store.read("events/sla_candidates")] == candidates
    monkeypatch.setattr(sla, "PAGE", 2)
    assert timer(client).run_once() == {"reminders": 0, "breaches": len(candidates)}
    assert sorted(e["account_id"] for e in sla_events(client)) == candidates
    assert timer(client).run_once() == {"reminders": 0, "breaches": 0}
