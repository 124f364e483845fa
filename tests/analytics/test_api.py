"""/v1/queries and /v1/reports over HTTP, on the scenario."""

from __future__ import annotations

import pytest
from conftest import NOW, iso
from fastapi.testclient import TestClient

from graphsvc.analytics import library
from graphsvc.api.app import create_app

from .scenario import t


def test_list_the_library_with_its_documentation(client):
    r = client.get("/v1/queries")
    assert r.status_code == 200
    listed = {q["name"]: q for q in r.json()}
    assert set(listed) == set(library.names())
    stuck = listed["stuck_mqas"]
    assert "MQA for more than" in stuck["description"]
    assert {p["name"]: p["default"] for p in stuck["params"]} == {"min_days": 30, "now": None, "limit": 100}
    assert [c["name"] for c in stuck["columns"]][:2] == ["id", "name"]
    by = next(p for p in listed["funnel_now"]["params"] if p["name"] == "by")
    assert by["choices"] == ["none", "segment", "industry", "source"]
    one = client.get("/v1/queries/stuck_mqas").json()
    assert "MATCH (a:Account)" in one["cypher"]
    assert client.get("/v1/queries/nope").status_code == 404


def test_run_a_query(client, scenario):
    r = client.post("/v1/queries/stuck_mqas", json={"params": {"min_days": 5}})
    assert r.status_code == 200, r.text
    body = r.json()
    assert [row["id"] for row in body["rows"]] == ["A3", "A10"]
    assert body["columns"][:3] == ["id", "name", "segment"] and body["row_count"] == 2
    assert body["truncated"] is False
    assert body["params"] == {"min_days": 5.0, "now": NOW, "limit": 100}  # now: the service clock
    # No body at all: the defaults.
    assert [row["id"] for row in client.post("/v1/queries/stuck_mqas").json()["rows"]] == ["A3"]


def test_times_may_be_iso_8601(client, scenario):
    r = client.post("/v1/queries/sql_rejections", json={"params": {"from": iso(t(-20)), "to": iso(t(0))}})
    assert r.status_code == 200, r.text
    assert r.json()["params"]["from"] == t(-20)
    assert [row["total"] for row in r.json()["rows"]] == [2, 2]


@pytest.mark.parametrize(("params", "fields"), [
    ({"min_dayz": 5}, {"min_dayz"}),
    ({"min_days": "five"}, {"min_days"}),
    ({"min_days": True}, {"min_days"}),
    ({"limit": 2.5}, {"limit"}),
    ({"limit": "10"}, {"limit"}),
    ({"now": "yesterday"}, {"now"}),
    ({"now": "2026-11-01T00:00:00"}, {"now"}),  # no timezone
    ({"min_days": [1]}, {"min_days"}),
    ({"min_days": "x", "limit": None, "nope": 1}, {"min_days", "nope"}),
])
def test_bad_parameters_are_422_naming_each(client, params, fields):
    r = client.post("/v1/queries/stuck_mqas", json={"params": params})
    assert r.status_code == 422, r.text
    assert r.json()["error"] == "invalid_input"
    assert {d["field"] for d in r.json()["details"]} == fields


def test_documented_choices_and_list_types_are_enforced(client):
    r = client.post("/v1/queries/funnel_now", json={"params": {"by": "planet"}})
    assert r.status_code == 422 and "one of: none, segment, industry, source" in r.json()["details"][0]["message"]
    r = client.post("/v1/queries/dm_paths", json={"params": {"ignore_types": ["unsubscribe", 3]}})
    assert r.status_code == 422 and r.json()["details"][0]["field"] == "ignore_types"
    r = client.post("/v1/queries/dm_paths", json={"params": {"ignore_types": "unsubscribe"}})
    assert r.status_code == 422
    assert client.post("/v1/queries/dm_paths", json={"params": {"ignore_types": []}}).status_code == 200


def test_unknown_query_is_404(client):
    r = client.post("/v1/queries/nope", json={"params": {}})
    assert r.status_code == 404 and "stuck_mqas" in r.json()["details"]["available"]
    assert client.post("/v1/queries/..%2Fread%2Fcounts").status_code == 404  # only the library runs here


def test_library_results_obey_the_row_limit(store, clock, settings, scenario):
    app = create_app(settings.model_copy(update={"query_row_limit": 2}), store=store, clock=clock)
    with TestClient(app) as c:
        body = c.post("/v1/queries/funnel_now").json()
    assert body["row_count"] == 2 and body["truncated"] is True


def test_funnel_report(client, scenario):
    r = client.get("/v1/reports/funnel", params={"by": "segment", "from": iso(t(-60)), "to": iso(t(0))})
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["from"], body["by"]) == (iso(t(-60)).replace("+00:00", "Z"), "segment")
    groups = {g["group"]: g for g in body["groups"]}
    assert set(groups) == {"enterprise", "mid_market", "smb"}
    mid = groups["mid_market"]
    assert mid["accounts"] == 4
    now = {s["stage"]: s["accounts"] for s in mid["stages_now"]}
    assert len(now) == 10 and (now["mqa"], now["engaged"], now["nurture"], now["won"]) == (2, 1, 1, 0)
    steps = {s["stage"]: (s["reached"], s["advanced"]) for s in mid["conversion"]}
    assert steps == {"engaged": (4, 4), "mqa": (4, 1), "sql": (1, 0), "accepted": (0, 0), "opportunity": (0, 0),
                     "won": (0, None)}
    mqa = next(s for s in mid["conversion"] if s["stage"] == "mqa")
    assert mqa["rate"] == pytest.approx(0.25) and mqa["next_stage"] == "sql"
    assert next(s for s in mid["conversion"] if s["stage"] == "accepted")["rate"] is None  # 0 of 0
    enterprise = {s["stage"]: s["reached"] for s in groups["enterprise"]["conversion"]}
    assert enterprise["won"] == 1


def test_funnel_report_defaults_and_errors(client, scenario):
    body = client.get("/v1/reports/funnel").json()
    assert [g["group"] for g in body["groups"]] == ["all"] and body["groups"][0]["accounts"] == 10
    assert body["to"] == iso(NOW).replace("+00:00", "Z")
    assert client.get("/v1/reports/funnel", params={"by": "planet"}).status_code == 422
    bad = client.get("/v1/reports/funnel", params={"from": iso(t(0)), "to": iso(t(-1))})
    assert bad.status_code == 422
    assert client.get("/v1/reports/funnel", params={"from": "2026-01-01T00:00:00"}).status_code == 422  # no tz


def test_sla_report(client, scenario):
    r = client.get("/v1/reports/sla")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["sla_hours"] == {"sql": 24.0, "mqa": 72.0}  # the active ruleset's
    stages = {s["stage"]: s for s in body["stages"]}
    assert (stages["sql"]["entered"], stages["sql"]["breached"], stages["sql"]["median_hours_to_act"]) == (5, 2, 17)
    assert stages["mqa"]["breached"] == 5
    assert [(b["stage"], b["id"]) for b in body["breaches"]][4:6] == [("sql", "A2"), ("sql", "A5")]
    a2 = body["breaches"][4]
    assert a2["entered_at"] == iso(t(-25)).replace("+00:00", "Z") and a2["hours_to_act"] == 48
    assert body["breaches_truncated"] is False


def test_sla_report_on_an_empty_graph_has_both_stages(client):
    body = client.get("/v1/reports/sla").json()
    assert [(s["stage"], s["entered"], s["breached"]) for s in body["stages"]] == [("sql", 0, 0), ("mqa", 0, 0)]
    assert body["breaches"] == []
