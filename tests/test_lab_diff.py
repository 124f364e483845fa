"""`graphsvc rules diff`: what changed between two rulesets, in words (pure)."""

from __future__ import annotations

from graphsvc.lab.diff import diff, explain
from graphsvc.rules import default_ruleset_text, load_ruleset

DEFAULT = default_ruleset_text()


def changed(text: str) -> list[str]:
    return [c["change"] for c in diff(load_ruleset(DEFAULT), load_ruleset(text))]


def test_no_change_when_only_form_differs():
    # comments and 30 vs 30.0 are no change, as for the version hash
    same = DEFAULT.replace("intent_window_days = 30.0", "intent_window_days = 30  # a comment")
    assert diff(load_ruleset(DEFAULT), load_ruleset(same)) == []
    assert explain(load_ruleset(DEFAULT), load_ruleset(same)).endswith("no change (same content).")


def test_numbers_are_explained_with_their_direction():
    text = (DEFAULT.replace("intent_window_days = 30.0", "intent_window_days = 45.0")
            .replace("quote_request = 50.0", "quote_request = 60.0")
            .replace("min_score = 90.0", "min_score = 80.0"))
    assert changed(text) == [
        "An activity of type quote_request is worth more: 50 -> 60 points",
        "The MQA score bar is lowered: 90 -> 80 points",
        "The intent window is longer: 30 -> 45 days",
    ]


def test_lists_say_what_was_added_and_removed():
    text = DEFAULT.replace('intent = ["demo_request", "quote_request"',
                           'intent = ["demo_request", "pricing_page_view", "quote_request"')
    text = text.replace('intent = ["demo_request", "pricing_page_view", "quote_request", "spec_shared"',
                        'intent = ["demo_request", "pricing_page_view", "quote_request"')
    assert changed(text) == ["pricing_page_view is now an intent signal", "spec_shared is no longer an intent signal"]


def test_named_tables_are_matched_by_name_not_position():
    a = load_ruleset(DEFAULT)
    data = a.model_dump(mode="json")
    groups = data["account_fit"]["industries"]
    data["account_fit"]["industries"] = list(reversed(groups))  # reordered: no change
    from graphsvc.rules import ruleset_from_data

    assert diff(a, ruleset_from_data(data)) == []
    data["account_fit"]["industries"][0] = {**groups[-1], "points": groups[-1]["points"] + 5}
    out = diff(a, ruleset_from_data(data))
    assert [c["path"] for c in out] == [f"account_fit.industries[name={groups[-1]['name']}].points"]
    assert out[0]["new"] == out[0]["old"] + 5
