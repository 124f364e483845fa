"""The Qualification contract: fixed JSON keys clients rely on, JSON-ready, frozen, pure."""

from __future__ import annotations

import json

from graphsvc.rules import evaluate

from .factory import NOW, RS, account, contact, engaged


def _q():
    return evaluate(account(
        engaged("e1", 40, "Test Engineer", type="quote_request", days_ago=2, first_name="Tom", last_name="Berg"),
        engaged("e2", 40, "Process Engineer"),
        contact("vp", "VP Operations"),
    ), RS, NOW)


def test_json_shape():
    d = json.loads(json.dumps(_q().to_dict()))
    assert set(d) == {
        "account_id", "stage", "previous_stage", "changed", "reason", "held", "qualified_at", "scores", "mqa", "sql",
        "contacts", "buying_center", "next_action", "top_contacts", "top_activities", "ruleset_version", "as_of",
        "requalify_at",
    }
    assert set(d["scores"]) == {"fit", "engagement", "mqa_score"}
    for gate in ("mqa", "sql"):
        assert set(d[gate]) == {"passed", "checks"}
        for check in d[gate]["checks"]:
            assert set(check) == {"name", "passed", "value", "threshold", "detail"}
    assert set(d["buying_center"]) == {"required", "covered", "missing", "unengaged", "candidates", "engaged"}
    assert isinstance(d["buying_center"]["required"], list) and isinstance(d["buying_center"]["missing"], list)
    assert set(d["next_action"]) == {"action", "why", "due_at"}
    assert set(d["contacts"][0]) == {
        "id", "name", "title", "engagement", "fit", "mql", "disqualified", "disqualified_reason", "last_engaged_at", "roles",
    }
    assert set(d["buying_center"]["candidates"]["decision_maker"][0]) == {
        "contact_id", "name", "title", "source", "confidence", "counts", "engaged", "last_engaged_at", "intro_path", "note",
    }
    assert set(d["top_contacts"][0]) == {"contact_id", "name", "title", "engagement", "contribution"}
    assert set(d["top_activities"][0]) == {"contact_id", "type", "at", "count", "points"}
    assert d["as_of"] == NOW and d["ruleset_version"] == RS.version


def test_evaluate_is_deterministic():
    assert _q().to_dict() == _q().to_dict()


def test_top_contacts_are_ranked_with_capped_contribution():
    q = evaluate(account(engaged("a", 100), engaged("b", 20), engaged("c", 0.0, type="page_view")), RS, NOW)
    assert [(t.contact_id, t.engagement, t.contribution) for t in q.top_contacts] == [("a", 100.0, 40.0), ("b", 20.0, 20.0)]


def test_checks_carry_value_and_threshold():
    q = _q()
    fit = q.mqa.check("account_fit")
    assert (fit.value, fit.threshold) == (q.scores.fit, RS.mqa.min_fit)
    score = q.mqa.check("mqa_score")
    assert (score.value, score.threshold) == (q.scores.mqa_score, RS.mqa.min_score)
    assert "capped at 40" in score.detail
