"""BANT in the SQL gate (issue 15): none required by default (the gate is unchanged), required fields
per segment / size from the ruleset, read from the default buying group as of `as_of`."""

from __future__ import annotations

import dataclasses

import pytest

from graphsvc.rules import evaluate
from graphsvc.rules.bant import required_bant
from graphsvc.rules.loading import RulesetError, load_ruleset
from graphsvc.rules.snapshot import BantEntry

from .factory import DAY, NOW, RS, account, engaged, ruleset_with

BANT_RS = ruleset_with('[sql]\nbant = ["budget"]\n\n[[sql.bant_rules]]\nsegment = "enterprise"\nfields = ["authority", "timeline"]\n')


def _sql_ready(**fields):
    return account(engaged("e1", 40, "Test Engineer", type="quote_request", days_ago=3.0),
                   engaged("e2", 40, "Process Engineer"), engaged("vp", 20, "VP Operations"), **fields)


def _with(snapshot, *entries):
    return dataclasses.replace(snapshot, bant=tuple(entries))


def _entry(field, met=True, group="default", days_ago=1.0, note=""):
    return BantEntry(group=group, field=field, met=met, by="rep-1", at=NOW - days_ago * DAY, note=note)


def test_no_bant_by_default_and_records_change_nothing():
    plain = evaluate(_sql_ready(), RS, NOW)
    recorded = evaluate(_with(_sql_ready(), _entry("budget", met=False)), RS, NOW)
    assert [c.name for c in plain.sql.checks] == ["mqa", "intent", "role:decision_maker"]
    assert plain.stage == recorded.stage == "sql" and plain.sql.checks == recorded.sql.checks


@pytest.mark.parametrize(("segment", "employees", "expected"), [
    ("mid_market", 400, ("budget",)), ("enterprise", 400, ("budget", "authority", "timeline")),
    ("Enterprise", None, ("budget", "authority", "timeline")), (None, None, ("budget",))])
def test_required_fields_per_segment(segment, employees, expected):
    assert required_bant(_sql_ready(segment=segment, employees=employees), BANT_RS) == expected


def test_size_band_rules():
    rs = ruleset_with('[[sql.bant_rules]]\nmin_employees = 1000\nmax_employees = 5000\nfields = ["need"]\n')
    assert required_bant(_sql_ready(employees=999), rs) == ()
    assert required_bant(_sql_ready(employees=1000), rs) == ("need",)
    assert required_bant(_sql_ready(employees=5000), rs) == ()
    assert required_bant(_sql_ready(employees=None), rs) == ()  # unknown size matches no band
    with pytest.raises(RulesetError):
        load_ruleset('[[sql.bant_rules]]\nmin_employees = 10\nmax_employees = 10\nfields = ["need"]\n', merge_defaults=True)
    with pytest.raises(RulesetError):
        load_ruleset('[sql]\nbant = ["money"]\n', merge_defaults=True)


def test_a_missing_field_blocks_sql_and_says_what_to_record():
    q = evaluate(_sql_ready(), BANT_RS, NOW)
    check = q.sql.check("bant:budget")
    assert not check.passed and check.value is None and "not recorded" in check.detail
    assert q.stage == "mqa" and not q.sql.passed
    assert q.next_action.action == "record_bant" and "budget not recorded" in q.next_action.why


def test_recorded_not_met_blocks_and_met_passes():
    no = evaluate(_with(_sql_ready(), _entry("budget", met=False, note="no budget before Q3")), BANT_RS, NOW)
    assert no.sql.check("bant:budget").value is False and "no budget before Q3" in no.sql.check("bant:budget").detail
    assert no.stage == "mqa"
    yes = evaluate(_with(_sql_ready(), _entry("budget")), BANT_RS, NOW)
    assert yes.sql.check("bant:budget").passed and yes.sql.check("bant:budget").value is True
    assert yes.stage == "sql" and "BANT confirmed (budget)" in yes.reason


def test_only_the_default_group_gates_and_other_groups_are_shown():
    q = evaluate(_with(_sql_ready(), _entry("budget", group="RF test")), BANT_RS, NOW)
    check = q.sql.check("bant:budget")
    assert not check.passed and "other groups: RF test: met (rep-1" in check.detail


def test_a_record_after_as_of_is_not_seen():
    snap = _with(_sql_ready(), _entry("budget", days_ago=0.5))
    assert evaluate(snap, BANT_RS, NOW).sql.check("bant:budget").passed
    assert not evaluate(snap, BANT_RS, NOW - DAY).sql.check("bant:budget").passed


def test_enterprise_needs_every_field_of_its_rule():
    snap = _with(_sql_ready(segment="enterprise"), _entry("budget"), _entry("authority"))
    q = evaluate(snap, BANT_RS, NOW)
    assert [c.name for c in q.sql.checks if c.name.startswith("bant:")] == ["bant:budget", "bant:authority", "bant:timeline"]
    assert q.stage == "mqa"
    assert evaluate(_with(snap, *snap.bant, _entry("timeline")), BANT_RS, NOW).stage == "sql"


def test_the_version_of_a_ruleset_without_bant_is_what_it_was_before_bant():
    assert RS.version == "917e842cfdba"  # the default ruleset's version without BANT (issue 12's [sla] keys included)
    assert BANT_RS.version != RS.version
