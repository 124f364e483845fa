"""The ruleset document: defaults per issue 3, validation errors with paths, content-hash version."""

from __future__ import annotations

import json
import re
import tomllib

import pytest

from graphsvc.rules import RulesetError, default_ruleset, default_ruleset_text, load_ruleset, ruleset_errors
from graphsvc.rules.loading import ruleset_from_data

from .factory import ruleset_with


def test_default_ruleset_encodes_issue_3_defaults():
    rs = default_ruleset()
    assert rs.activities.half_life_days == 30
    assert rs.activities.intent == ["demo_request", "quote_request", "spec_shared", "meeting_booked", "contact_sales"]
    assert set(rs.activities.points) == {
        "page_view", "pricing_page_view", "capability_page_view", "content_download", "email_open", "email_click",
        "webinar_registered", "webinar_attended", "trade_show_visit", "form_submitted", "demo_request",
        "quote_request", "spec_shared", "meeting_booked", "contact_sales", "unsubscribe", "hard_bounce",
        "call", "email_sent", "email_received", "meeting_held",  # sales-side, for CRM imports (issue 11)
    }
    assert rs.activities.points["unsubscribe"] < 0 and rs.activities.points["hard_bounce"] < 0
    assert rs.roles.vocabulary == [
        "decision_maker", "economic_buyer", "champion", "technical_evaluator", "influencer", "end_user",
        "procurement", "legal", "blocker",
    ]
    assert rs.sql.intent_window_days == 30
    assert rs.sql.role_engagement_days == 90
    assert rs.sql.required_roles == ["decision_maker"]
    assert [(e.min_employees, e.roles) for e in rs.sql.extra_roles] == [(1000, ["economic_buyer", "technical_evaluator"])]
    assert rs.sql.role_sources == {"sales": 0.0, "import": 0.0, "inferred": 0.7}
    assert (rs.sla.sql_hours, rs.sla.mqa_hours) == (24, 72)
    assert rs.stages.hold_days > 0
    assert rs.transitions.reject_reasons == [
        "no_budget", "no_authority", "bad_timing", "not_a_fit", "duplicate", "bad_data", "competitor",
    ]
    assert {g.name for g in rs.account_fit.industries} == {"industrial", "microelectronics", "tech"}


def test_default_ruleset_is_shared_and_equal_to_loading_the_text():
    assert default_ruleset() is default_ruleset()
    assert load_ruleset(default_ruleset_text()).version == default_ruleset().version


# ------------------------------------------------------------------------------------- version
def test_version_is_12_hex_digits_and_stable_across_loads():
    v = default_ruleset().version
    assert re.fullmatch(r"[0-9a-f]{12}", v)
    assert load_ruleset(default_ruleset_text()).version == v
    assert ruleset_with("").version == v


def test_version_ignores_comments_formatting_key_order_and_int_vs_float():
    text = default_ruleset_text()
    reformatted = "# a new comment\n" + text.replace("half_life_days = 30.0", "half_life_days   =   30   # same")
    assert load_ruleset(reformatted).version == default_ruleset().version
    # Same content as JSON with keys in reverse order.
    data = tomllib.loads(text)
    reordered = json.loads(json.dumps(dict(reversed(list(data.items())))))
    assert ruleset_from_data(reordered).version == default_ruleset().version


@pytest.mark.parametrize(
    "patch",
    [
        "[activities]\nhalf_life_days = 31",
        "[activities.points]\npage_view = 2",
        "[mqa]\nmin_score = 91",
        "[sql.role_sources]\ninferred = 0.71",
        "[transitions]\nreject_reasons = ['no_budget']",
        "description = 'changed'",
    ],
)
def test_version_changes_when_content_changes(patch):
    assert ruleset_with(patch).version != default_ruleset().version


def test_to_dict_carries_version_and_content():
    d = default_ruleset().to_dict()
    assert d["version"] == default_ruleset().version
    assert d["ruleset"]["mqa"]["min_score"] == default_ruleset().mqa.min_score
    json.dumps(d)
    assert ruleset_from_data(d["ruleset"]).version == d["version"]


# ------------------------------------------------------------------------------------- merge
def test_merge_defaults_lays_a_partial_document_over_the_defaults():
    rs = ruleset_with("[mqa]\nmin_score = 120\n[sla]\nsql_hours = 8")
    assert rs.mqa.min_score == 120 and rs.sla.sql_hours == 8
    assert rs.mqa.per_contact_cap == default_ruleset().mqa.per_contact_cap  # untouched keys kept
    assert rs.activities.points == default_ruleset().activities.points


def test_without_merge_a_partial_document_is_missing_sections():
    errors = ruleset_errors("[mqa]\nmin_score = 120")
    paths = {e["path"] for e in errors}
    assert {"activities", "contact_fit", "account_fit", "roles", "mql", "transitions"} <= paths
    assert "mqa.per_contact_cap" in paths


# ------------------------------------------------------------------------------------- errors
def _errors(patch: str) -> dict[str, str]:
    return {e["path"]: e["message"] for e in ruleset_errors(patch, merge_defaults=True)}


def test_valid_ruleset_has_no_errors():
    assert ruleset_errors(default_ruleset_text()) == []


def test_every_structural_error_is_reported_with_its_path():
    patch = """
[activities]
half_life_days = -1
[activities.points]
page_view = "lots"
[sql]
window_days = 30
intent_window_days = 0
[mqa]
min_engaged_contacts = 1.5
[roles]
candidate_min_confidence = 1.5
[[roles.rules]]
role = "decision_maker"
confidence = 0.9
titles = ["ok", "(unclosed"]
"""
    errors = _errors(patch)
    assert set(errors) == {
        "activities.half_life_days",
        "activities.points.page_view",
        "sql.window_days",
        "sql.intent_window_days",
        "mqa.min_engaged_contacts",
        "roles.candidate_min_confidence",
        "roles.rules[0].titles[1]",
    }
    assert "extra" in errors["sql.window_days"].lower()
    assert "regular expression" in errors["roles.rules[0].titles[1]"]


def test_every_cross_field_error_is_reported_with_its_path():
    patch = """
[activities]
intent = ["quote_request", "smoke_signal"]
[roles]
vocabulary = ["decision_maker", "champion"]
[[roles.rules]]
role = "wizard"
confidence = 0.5
titles = ["wizard"]
[[roles.rules]]
role = "champion"
confidence = 0.5
[sql]
required_roles = ["decision_maker", "economic_buyer"]
[[sql.extra_roles]]
min_employees = 1000
max_employees = 500
roles = ["technical_evaluator"]
[sql.role_sources]
gossip = 0.5
[contact_fit.seniority_aliases]
boss = "overlord"
[[account_fit.employee_bands]]
min = 0
max = 100
points = 1
[[account_fit.employee_bands]]
min = 50
points = 2
[[account_fit.revenue_bands]]
min = 10
max = 5
points = 1
[transitions]
accept_from = ["sql", "won"]
reject_reasons = []
"""
    errors = _errors(patch)
    assert set(errors) == {
        "activities.intent[1]",
        "roles.rules[0].role",
        "roles.rules[1]",
        "sql.required_roles[1]",
        "sql.extra_roles[0].roles[0]",
        "sql.extra_roles[0].max_employees",
        "sql.role_sources.gossip",
        "contact_fit.seniority_aliases.boss",
        "account_fit.employee_bands[1]",
        "account_fit.revenue_bands[0].max",
        "transitions.accept_from[1]",
        "transitions.reject_reasons",
    }
    assert "smoke_signal" in errors["activities.intent[1]"]
    assert "overlaps" in errors["account_fit.employee_bands[1]"]


def test_toml_syntax_error_is_one_error_at_the_document():
    errors = ruleset_errors("[mqa\nmin_score = ")
    assert len(errors) == 1 and errors[0]["path"] == "" and "TOML" in errors[0]["message"]


def test_load_ruleset_raises_a_value_error_carrying_every_error():
    with pytest.raises(RulesetError) as info:
        load_ruleset("[mqa]\nmin_score = 'high'\nper_contact_cap = -3", merge_defaults=True)
    exc = info.value
    assert isinstance(exc, ValueError)
    assert {e["path"] for e in exc.errors} == {"mqa.min_score", "mqa.per_contact_cap"}
    assert "mqa.min_score" in str(exc) and "2 errors" in str(exc)


def test_band_without_max_is_open_ended_and_adjacent_bands_do_not_overlap():
    assert _errors("[[account_fit.employee_bands]]\nmin = 0\nmax = 10\npoints = 1\n"
                   "[[account_fit.employee_bands]]\nmin = 10\npoints = 2") == {}
