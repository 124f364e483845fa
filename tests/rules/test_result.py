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


def _reference_jsonable(value):
    """to_jsonable as it was written before it recognised scalars by exact type (kept as the oracle)."""
    import dataclasses

    if isinstance(value, (str, int, float, bool, type(None))):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _reference_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _reference_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_reference_jsonable(v) for v in value]
    return value


def test_to_jsonable_gives_what_the_plain_walk_gives():
    from collections import OrderedDict, namedtuple
    from enum import StrEnum

    from graphsvc.rules import to_jsonable

    class Kind(StrEnum):
        A = "a"

    Pair = namedtuple("Pair", "x y")
    q = _q()
    odd = {"q": q, 3: (1, 2.5, None), "enum": Kind.A, "pair": Pair(q.scores, [True]),
           "ordered": OrderedDict(b=(q.next_action,)), "nested": [[{"k": ()}]], "other": frozenset({1})}
    for value in (q, odd, q.buying_center, q.mqa.checks):
        assert to_jsonable(value) == _reference_jsonable(value)
    out = to_jsonable(odd)
    assert list(out) == ["q", "3", "enum", "pair", "ordered", "nested", "other"]  # keys as str, order kept
    assert out["pair"] == [to_jsonable(q.scores), [True]] and isinstance(out["ordered"], dict)
    assert out["other"] == frozenset({1})  # not JSON data: passed through, as before, for the caller to refuse
