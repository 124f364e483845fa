"""Sales transitions: the whole (stage x action) table, cell by cell, and reason rules."""

from __future__ import annotations

import pytest

from graphsvc.rules import ACTIONS, STAGES, TransitionError, allowed_actions, apply_action

from .factory import RS, ruleset_with

NON_FINAL = ["target", "engaged", "mqa", "sql", "accepted", "opportunity", "nurture"]

# The complete table: (stage, action) -> new stage; every pair not listed must raise.
EXPECTED = {
    ("sql", "accept"): "accepted",
    ("sql", "reject"): "nurture",
    ("accepted", "reject"): "nurture",
    **{(s, "recycle"): "nurture" for s in NON_FINAL if s != "nurture"},
    **{(s, "disqualify"): "disqualified" for s in NON_FINAL},
    ("accepted", "open_opportunity"): "opportunity",
    ("opportunity", "won"): "won",
    ("opportunity", "lost"): "lost",
}
REASON = {"reject": "no_budget", "disqualify": "competitor"}


def test_stage_and_action_lists():
    assert STAGES == ("target", "engaged", "mqa", "sql", "accepted", "opportunity", "won", "lost", "nurture", "disqualified")
    assert ACTIONS == ("accept", "reject", "recycle", "disqualify", "open_opportunity", "won", "lost")


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_cell(stage, action):
    reason = REASON.get(action)
    if (stage, action) in EXPECTED:
        assert apply_action(stage, action, reason, RS) == EXPECTED[(stage, action)]
    else:
        with pytest.raises(TransitionError) as info:
            apply_action(stage, action, reason, RS)
        assert info.value.code == "not_allowed"
        assert stage in str(info.value) and action in str(info.value)


@pytest.mark.parametrize("stage", STAGES)
def test_allowed_actions_match_the_table(stage):
    assert allowed_actions(stage, RS) == [a for a in ACTIONS if (stage, a) in EXPECTED]


@pytest.mark.parametrize("stage", ["won", "lost", "disqualified"])
def test_final_stages_allow_nothing(stage):
    assert allowed_actions(stage, RS) == []


@pytest.mark.parametrize("reason", RS.transitions.reject_reasons)
def test_reject_accepts_every_configured_reason(reason):
    assert apply_action("sql", "reject", reason, RS) == "nurture"
    assert apply_action("accepted", "reject", f"  {reason} ", RS) == "nurture"


@pytest.mark.parametrize("reason, code", [(None, "reason_required"), ("", "reason_required"), ("  ", "reason_required"),
                                          ("they_hate_us", "invalid_reason"), ("No Budget", "invalid_reason")])
def test_reject_needs_a_configured_reason(reason, code):
    with pytest.raises(TransitionError) as info:
        apply_action("sql", "reject", reason, RS)
    assert info.value.code == code and "no_budget" in info.value.message


def test_stage_mismatch_is_reported_before_the_reason():
    with pytest.raises(TransitionError) as info:
        apply_action("mqa", "reject", None, RS)
    assert info.value.code == "not_allowed"


def test_disqualify_needs_a_reason_free_text_by_default():
    assert apply_action("mqa", "disqualify", "student project", RS) == "disqualified"
    with pytest.raises(TransitionError) as info:
        apply_action("mqa", "disqualify", " ", RS)
    assert info.value.code == "reason_required"


def test_disqualify_reasons_can_be_a_closed_list():
    rs = ruleset_with("[transitions]\ndisqualify_reasons = ['competitor', 'student']")
    assert apply_action("mqa", "disqualify", "student", rs) == "disqualified"
    with pytest.raises(TransitionError) as info:
        apply_action("mqa", "disqualify", "bored", rs)
    assert info.value.code == "invalid_reason"


def test_reasons_are_optional_elsewhere():
    assert apply_action("mqa", "recycle", None, RS) == "nurture"
    assert apply_action("sql", "accept", None, RS) == "accepted"
    assert apply_action("opportunity", "lost", "price", RS) == "lost"


def test_accepting_an_mqa_is_off_by_default_and_configurable():
    with pytest.raises(TransitionError):
        apply_action("mqa", "accept", None, RS)
    rs = ruleset_with("[transitions]\naccept_from = ['mqa', 'sql']")
    assert apply_action("mqa", "accept", None, rs) == "accepted"
    assert allowed_actions("mqa", rs)[0] == "accept"


def test_unknown_action_and_stage():
    with pytest.raises(TransitionError) as info:
        apply_action("sql", "promote", None, RS)
    assert info.value.code == "unknown_action"
    with pytest.raises(TransitionError) as info:
        apply_action("limbo", "recycle", None, RS)
    assert info.value.code == "unknown_stage"


def test_transition_error_is_a_plain_exception_with_a_message():
    err = TransitionError("nope")
    assert isinstance(err, Exception) and str(err) == "nope" and err.message == "nope" and err.code == "not_allowed"
