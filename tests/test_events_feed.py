"""Issue 12, feed: `GET /v1/events` (cursor, types, account, limit; errors; roles) and
`graphsvc events tail`, on both engines."""

from __future__ import annotations

import json

from click.testing import CliRunner
from test_events_outbox import all_events, feed, four_events, make_sql

from graphsvc.cli import main


def test_the_feed_pages_by_cursor_and_resumes(client):
    make_sql(client)
    client.put("/v1/contacts/e2/roles", json={"confirm": [{"role": "champion"}], "actor": "sam"})
    client.post("/v1/accounts/acme/transitions", json={"action": "accept", "actor": "sam"})
    everything = all_events(client)
    assert [e["type"] for e in everything] == ["stage_changed", "stage_changed", "roles_changed", "stage_changed"]
    seen, after = [], 0
    while True:  # two at a time, each page resumed from the cursor of the previous one
        page = feed(client, after=after, limit=2)
        assert page["last_id"] == 4
        if not page["events"]:
            assert page["next_cursor"] == after  # nothing new: the same cursor again
            break
        seen += page["events"]
        after = page["next_cursor"]
    assert seen == everything
    assert [e["id"] for e in feed(client, after=3)["events"]] == [4]
    assert [e["id"] for e in feed(client, types="roles_changed")["events"]] == [3]
    assert [e["id"] for e in feed(client, types="roles_changed,stage_changed", after=2)["events"]] == [3, 4]
    assert [e["id"] for e in feed(client, account_id="acme", after=3)["events"]] == [4]
    assert feed(client, account_id="other")["events"] == []


def test_the_feed_reads_windows_of_ids_and_skips_what_the_filters_left_out(client, monkeypatch):
    """A page is read a window of ids at a time (here 1 wide, then 2, 4: `feed.WINDOW`), so a page from
    the start does not read the whole outbox; every event comes once, in order, whatever the page
    size; a short page's cursor is the newest id looked at, so a filtered reader does not look at
    the same events again; one account's events are one read (its index)."""
    from graphsvc.events import feed as feed_module

    four_events(client)
    everything = all_events(client)
    assert [e["id"] for e in everything] == [1, 2, 3, 4]
    monkeypatch.setattr(feed_module, "WINDOW", 1)
    reads = _reads(client, monkeypatch)
    for limit in (1, 2, 3, 1000):
        seen, after = [], 0
        while page := feed(client, after=after, limit=limit)["events"]:
            seen += page
            after = page[-1]["id"]
        assert seen == everything, limit
    reads.clear()
    page = feed(client, limit=2)
    assert [e["id"] for e in page["events"]] == [1, 2] and page["next_cursor"] == 2
    assert reads == [("window", 0, 2)]  # a window is at least a page wide: no read past the page
    reads.clear()
    page = feed(client, types="roles_changed", limit=1)
    assert [e["id"] for e in page["events"]] == [3] and page["next_cursor"] == 3
    assert reads == [("window", 0, 1), ("window", 1, 3)]  # a short read: the next window twice as wide
    reads.clear()
    page = feed(client, types="owner_assigned", limit=1)
    assert page == {"events": [], "next_cursor": 4, "last_id": 4}  # nothing it wants up to the newest id,
    assert reads == [("window", 0, 1), ("window", 1, 3), ("window", 3, 4)]  # and nothing to look at again
    reads.clear()
    page = feed(client, types="roles_changed", after=2, limit=5)
    assert [e["id"] for e in page["events"]] == [3] and page["next_cursor"] == 3
    assert reads == [("feed", 2, None)]  # within one window of the newest id: one read, as before
    reads.clear()
    page = feed(client, after=4)
    assert page == {"events": [], "next_cursor": 4, "last_id": 4} and reads == [("feed", 4, None)]
    page = feed(client, after=9)
    assert page["events"] == [] and page["next_cursor"] == 9  # a cursor past the newest stays where it is
    reads.clear()
    assert [e["id"] for e in feed(client, account_id="acme", limit=1)["events"]] == [1]
    assert reads == [("feed", 0, None)]  # one account's events: its index, one read


def test_a_window_with_fewer_events_than_ids_moves_the_cursor_only_to_events_seen(client, store, monkeypatch):
    """An id without its event (a gap; as a cluster's reader behind the counter would answer) makes
    the window unvouched: the page reads on as before, and its cursor stops at the last event it
    returned, never past an id it did not see."""
    from graphsvc.events import feed as feed_module

    four_events(client)
    store.executor.write("MATCH (e:Event {seq: 2}) DETACH DELETE e", {})
    monkeypatch.setattr(feed_module, "WINDOW", 1)
    reads = _reads(client, monkeypatch)
    page = feed(client, limit=3)
    assert [e["id"] for e in page["events"]] == [1, 3, 4] and page["next_cursor"] == 4
    assert reads == [("window", 0, 3), ("feed", 0, None)]
    page = feed(client, types="owner_assigned", limit=1)
    assert page["events"] == [] and page["next_cursor"] == 1  # (0, 1] vouched, (1, 3] not: stays at 1
    page = feed(client, types="roles_changed", limit=2)
    assert [e["id"] for e in page["events"]] == [3] and page["next_cursor"] == 3  # not 4


def _reads(client, monkeypatch) -> list[tuple]:
    """The feed's reads from now on: ("window", after, upto) and ("feed", after, None)."""
    reads: list[tuple] = []
    store = client.app.state.graphsvc.store
    real_read = store.read

    def counted(name, **params):
        if name in ("events/window", "events/feed"):
            reads.append((name.split("/")[1], params["after"], params.get("upto")))
        return real_read(name, **params)

    monkeypatch.setattr(store, "read", counted)
    return reads


def test_bad_feed_parameters_are_422_naming_the_field(client):
    r = client.get("/v1/events", params={"types": "stage_changed,bogus"})
    assert r.status_code == 422
    assert r.json()["error"] == "invalid_input" and "bogus" in r.json()["details"][0]["message"]
    assert r.json()["details"][0]["field"] == "types"
    for params in ({"after": -1}, {"after": "x"}, {"limit": 0}, {"limit": 5000}):
        r = client.get("/v1/events", params=params)
        assert r.status_code == 422, params
        assert r.json()["error"] == "invalid_input"


def test_events_tail_prints_the_feed_and_resumes(client, cli_store):
    make_sql(client)
    runner = CliRunner()
    out = runner.invoke(main, ["events", "tail", "--after", "0"])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert len(lines) == 2 and lines[0].startswith("#1 ") and "target -> mqa" in lines[0]
    assert "mqa -> sql" in lines[1] and "acme" in lines[1]
    out = runner.invoke(main, ["events", "tail", "--after", "1", "--format", "json"])
    assert out.exit_code == 0, out.output
    rows = [json.loads(x) for x in out.output.splitlines()]
    assert rows == all_events(client)[1:]
    out = runner.invoke(main, ["events", "tail", "--last", "1", "--format", "json"])
    assert [json.loads(x)["id"] for x in out.output.splitlines()] == [2]
    out = runner.invoke(main, ["events", "tail", "--type", "roles_changed"])
    assert out.exit_code == 0 and out.output == ""
    out = runner.invoke(main, ["events", "tail", "--type", "bogus"])
    assert out.exit_code == 2 and "bogus" in out.output


def test_follow_polls_until_events_come_and_survives_an_outage():
    """`tail --follow`'s loop (pure: a scripted feed, no clock): it waits on empty pages, retries
    while the service is unavailable, resumes from its cursor and stops after --count."""
    from graphsvc.errors import StoreUnavailable
    from graphsvc.events.cli import follow

    script = [[], StoreUnavailable("restarting"), [{"id": 1}, {"id": 2}], [], [{"id": 3}]]
    asked, slept = [], []

    def page(after, types, limit):
        asked.append(after)
        step = script.pop(0)
        if isinstance(step, Exception):
            raise step
        return {"events": step, "next_cursor": step[-1]["id"] if step else after, "last_id": 3}

    got = list(follow(page, 0, [], forever=True, interval_s=0.5, count=3, sleep=slept.append))
    assert [e["id"] for e in got] == [1, 2, 3]
    assert asked == [0, 0, 0, 2, 2] and slept == [0.5, 0.5, 0.5]
