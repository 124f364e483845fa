"""Role inference from titles (English, German, French) and the roles a contact effectively holds."""

from __future__ import annotations

import pytest

from graphsvc.rules import infer_roles
from graphsvc.rules.roles import effective_roles, source_counts
from graphsvc.rules.snapshot import RoleAssignment

from .factory import RS, contact, ruleset_with

BAR = RS.sql.role_sources["inferred"]


@pytest.mark.parametrize(
    "title, role",
    [
        # decision_maker
        ("VP Operations", "decision_maker"),
        ("Vice President of Manufacturing", "decision_maker"),
        ("Head of Production", "decision_maker"),
        ("Plant Director", "decision_maker"),
        ("COO", "decision_maker"),
        ("Leiter Produktion", "decision_maker"),
        ("Produktionsleiter", "decision_maker"),
        ("Werksleiter", "decision_maker"),
        ("Geschäftsführer", "decision_maker"),
        ("Directeur des opérations", "decision_maker"),
        ("Directeur d'usine", "decision_maker"),
        ("Directeur de production", "decision_maker"),
        # economic_buyer
        ("CFO", "economic_buyer"),
        ("Finance Director", "economic_buyer"),
        ("VP Finance", "economic_buyer"),
        ("Finanzvorstand", "economic_buyer"),
        ("Kaufmännischer Leiter", "economic_buyer"),
        ("Directeur administratif et financier", "economic_buyer"),
        ("Directeur financier", "economic_buyer"),
        # procurement
        ("Procurement Manager", "procurement"),
        ("Senior Buyer", "procurement"),
        ("Einkaufsleiter", "procurement"),
        ("Leiterin Einkauf", "procurement"),
        ("Einkäufer", "procurement"),
        ("Acheteur", "procurement"),
        ("Responsable achats", "procurement"),
        # technical_evaluator
        ("Test Engineer", "technical_evaluator"),
        ("Senior Process Engineer", "technical_evaluator"),
        ("Automation Engineer", "technical_evaluator"),
        ("Prüfingenieur", "technical_evaluator"),
        ("Pruefingenieurin", "technical_evaluator"),
        ("Entwicklungsingenieur", "technical_evaluator"),
        ("Softwareentwickler", "technical_evaluator"),
        ("Ingénieur essais", "technical_evaluator"),
        ("Ingénieure qualité", "technical_evaluator"),
        ("Ingénieur de production", "technical_evaluator"),
        # legal
        ("General Counsel", "legal"),
        ("Juristin", "legal"),
        ("Directeur juridique", "legal"),
    ],
)
def test_common_titles_infer_their_role_above_the_sql_bar(title, role):
    inferred = dict(infer_roles(title, None, RS))
    assert role in inferred, (title, inferred)
    assert inferred[role] >= BAR
    assert max(inferred, key=inferred.get) == role  # it is the best guess for that title


@pytest.mark.parametrize(
    "title, seniority, role, confidence",
    [
        ("Production Manager", "manager", "decision_maker", 0.6),  # a candidate, below the bar
        ("Responsable de production", None, "decision_maker", 0.6),
        ("VP Marketing", "vp", "decision_maker", 0.6),  # seniority alone
        ("Anything", "c_level", "decision_maker", 0.6),
        ("Controller", None, "economic_buyer", 0.6),
        ("Engineer", None, "technical_evaluator", 0.65),
        ("Project Manager", None, "champion", 0.55),
        ("Maintenance Technician", None, "end_user", 0.6),
    ],
)
def test_weaker_signals_infer_below_the_bar(title, seniority, role, confidence):
    assert dict(infer_roles(title, seniority, RS))[role] == confidence
    assert confidence < BAR


@pytest.mark.parametrize(
    "title", ["Executive Assistant to the VP Operations", "Werkstudent Produktion", "Stagiaire achats", "Intern, Test"]
)
def test_assistants_and_students_infer_nothing(title):
    assert infer_roles(title, "vp", RS) == []


def test_unmatched_or_empty_titles_infer_nothing():
    assert infer_roles("Marketing Coordinator", "individual", RS) == []
    assert infer_roles(None, None, RS) == []
    assert infer_roles("", "", RS) == []


def test_each_role_keeps_its_best_match_and_results_are_sorted():
    roles = infer_roles("VP Operations", "vp", RS)  # title rule 0.85 and seniority rule 0.6
    assert roles == [("decision_maker", 0.85)]
    roles = infer_roles("CFO", "c_level", RS)
    assert roles == [("economic_buyer", 0.85), ("decision_maker", 0.6)]


def test_seniority_is_normalised_through_aliases():
    assert infer_roles("Anything", "Vice President", RS) == [("decision_maker", 0.6)]
    assert infer_roles("Anything", "C-Level", RS) == [("decision_maker", 0.6)]


def test_inference_is_cached_per_ruleset_and_stable():
    first = infer_roles("Prüfingenieur", None, RS)
    assert infer_roles("Prüfingenieur", None, RS) == first
    assert ("Prüfingenieur", "") in RS.compiled.role_cache


def test_rules_are_configurable():
    rs = ruleset_with(
        "[roles]\nexclude_titles = []\n[[roles.rules]]\nrole = 'champion'\nconfidence = 0.9\ntitles = ['\\bwizard\\b']"
    )
    assert infer_roles("Chief Wizard", None, rs) == [("champion", 0.9)]
    assert infer_roles("VP Operations", None, rs) == []  # arrays replace: only the new rule is left


# ------------------------------------------------------------------------------- effective roles
def _eff(c, rs=RS):
    return {r: (e.source, e.confidence, e.counts) for r, e in effective_roles(c, rs).items()}


def test_source_counts_follows_the_ruleset():
    assert source_counts("sales", 0.01, RS) and source_counts("import", 0.01, RS)
    assert source_counts("inferred", BAR, RS) and not source_counts("inferred", BAR - 0.01, RS)
    assert not source_counts("gossip", 1.0, RS)  # not listed: never counts
    assert not source_counts("sales", 0.0, RS)  # confidence 0 is a denial, never coverage


def test_inferred_roles_come_from_the_title():
    assert _eff(contact("c", "VP Operations")) == {"decision_maker": ("inferred", 0.85, True)}
    assert _eff(contact("c", "Production Manager")) == {"decision_maker": ("inferred", 0.6, False)}


def test_stored_roles_beat_inference_for_the_same_role():
    c = contact("c", "Production Manager", roles=[RoleAssignment("decision_maker", "import", 1.0)])
    assert _eff(c) == {"decision_maker": ("import", 1.0, True)}


def test_stored_inferred_roles_keep_the_best_of_stored_and_fresh_inference():
    c = contact("c", "VP Operations", roles=[RoleAssignment("decision_maker", "inferred", 0.5)])
    assert _eff(c) == {"decision_maker": ("inferred", 0.85, True)}


def test_a_contact_classified_by_sales_is_taken_as_sales_says():
    c = contact("c", "VP Operations", roles=[RoleAssignment("champion", "sales", 1.0)])
    assert _eff(c) == {"champion": ("sales", 1.0, True)}  # no inferred decision_maker


def test_a_sales_assignment_with_confidence_zero_denies_the_role():
    c = contact(
        "c", "VP Operations",
        roles=[RoleAssignment("decision_maker", "sales", 0.0), RoleAssignment("decision_maker", "import", 1.0)],
    )
    assert _eff(c) == {}


def test_sales_beats_import_beats_inferred_when_all_count():
    c = contact("c", "VP Operations", roles=[
        RoleAssignment("decision_maker", "import", 1.0), RoleAssignment("decision_maker", "sales", 0.5),
    ])
    assert _eff(c) == {"decision_maker": ("sales", 0.5, True)}


def test_a_counting_assignment_beats_one_that_does_not():
    rs = ruleset_with("[sql.role_sources]\nsales = 0.0\nimport = 0.9\ninferred = 0.7")
    c = contact("c", "VP Operations", roles=[RoleAssignment("decision_maker", "import", 0.5)])
    assert _eff(c, rs) == {"decision_maker": ("inferred", 0.85, True)}


def test_inference_can_be_switched_off():
    rs = ruleset_with("[roles]\ninfer = false")
    assert _eff(contact("c", "VP Operations"), rs) == {}
    c = contact("c", "VP Operations", roles=[RoleAssignment("decision_maker", "inferred", 0.8)])
    assert _eff(c, rs) == {"decision_maker": ("inferred", 0.8, True)}  # stored inferred roles still count
