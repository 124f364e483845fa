"""The CRM role table (`roles.crm_map`, issue 11): CRM role labels -> buying roles, compared loosely,
validated against the vocabulary, and free of any effect on existing rulesets' versions."""

from __future__ import annotations

import pytest

from graphsvc.rules import crm_role, default_ruleset, default_ruleset_text, load_ruleset, ruleset_errors
from graphsvc.rules.ruleset import CRM_ROLES, crm_role_key

RS = default_ruleset()


@pytest.mark.parametrize(("label", "key"), [
    ("Decision Maker", "decision maker"), ("DECISION_MAKER", "decision maker"), ("decision-maker", "decision maker"),
    ("  Decision   Maker ", "decision maker"), ("Legal & Compliance", "legal and compliance"),
    ("LEGAL_AND_COMPLIANCE", "legal and compliance"), ("Évaluateur", "evaluateur"), ("", ""), ("_&_", "and"),
])
def test_labels_compare_without_case_accents_separators_or_ampersands(label, key):
    assert crm_role_key(label) == key


SALESFORCE = {"Decision Maker": "decision_maker", "Economic Buyer": "economic_buyer",
              "Economic Decision Maker": "economic_buyer", "Evaluator": "technical_evaluator",
              "Executive Sponsor": "decision_maker", "Influencer": "influencer",
              "Technical Buyer": "technical_evaluator", "Business User": "end_user", "Other": None}
HUBSPOT = {"DECISION_MAKER": "decision_maker", "BUDGET_HOLDER": "economic_buyer", "CHAMPION": "champion",
           "INFLUENCER": "influencer", "END_USER": "end_user", "BLOCKER": "blocker",
           "EXECUTIVE_SPONSOR": "decision_maker", "LEGAL_AND_COMPLIANCE": "legal", "OTHER": None,
           "Budget Holder": "economic_buyer", "End User": "end_user", "Legal and Compliance": "legal"}


@pytest.mark.parametrize(("label", "role"), [*SALESFORCE.items(), *HUBSPOT.items()])
def test_the_default_table_knows_salesforce_and_hubspot_roles(label, role):
    assert crm_role(label, RS) == (True, role)


@pytest.mark.parametrize("label", ["Chief Wizard", "Decision", "Makers", "", "Champions"])
def test_an_unknown_label_is_unknown_never_guessed(label):
    assert crm_role(label, RS) == (False, None)


def test_every_default_role_is_in_the_default_vocabulary_and_the_toml_says_the_same():
    assert {r for r in CRM_ROLES.values() if r} <= set(RS.roles.vocabulary)
    assert {crm_role_key(k): v for k, v in RS.roles.crm_map.items()} == CRM_ROLES


def test_a_ruleset_adds_labels_and_its_version_changes_only_then():
    text = default_ruleset_text()
    same = load_ruleset(text.replace('"Legal" = "legal"\n', '"LEGAL" = "legal"\n'))  # the same table
    assert same.version == RS.version
    more = load_ruleset(text.replace('"Legal" = "legal"\n', '"Legal" = "legal"\n"Einkauf" = "procurement"\n'))
    assert more.version != RS.version and crm_role("einkauf", more) == (True, "procurement")
    # A ruleset without the table takes the default one, and its version is what it was before.
    without = text[:text.index("[roles.crm_map]")] + text[text.index("# ----", text.index("[roles.crm_map]")):]
    assert load_ruleset(without).version == RS.version and crm_role("Champion", load_ruleset(without)) == (True,
                                                                                                        "champion")


def test_a_label_must_map_to_a_role_of_the_vocabulary_and_appear_once():
    text = default_ruleset_text()
    errors = ruleset_errors(text.replace('"Legal" = "legal"\n', '"Legal" = "lawyer"\n"legal_and compliance" = "legal"\n'
                                         '" " = "legal"\n'))
    assert sorted(e["path"] for e in errors) == ["roles.crm_map. ", "roles.crm_map.Legal",
                                                 "roles.crm_map.legal_and compliance"]


def test_default_entries_whose_role_a_custom_vocabulary_lacks_are_unknown_labels():
    text = default_ruleset_text()
    start = text.index("[roles.crm_map]")
    without = text[:start] + text[text.index("# ----", start):]
    for body in (without, text):  # the default table, implicit or written out in the TOML
        small = load_ruleset(body.replace('"procurement", "legal", "blocker"]', '"procurement", "legal"]'))
        assert "blocker" not in small.roles.vocabulary
        assert crm_role("Blocker", small) == (False, None) and crm_role("Champion", small) == (True, "champion")
