"""Contact fit and account fit (ICP): table lookups, bands at their edges, normalisation, clamping."""

from __future__ import annotations

import pytest

from graphsvc.rules.fit import account_fit, contact_fit

from .factory import RS, account, contact, ruleset_with


# ------------------------------------------------------------------------------------ contact fit
def test_contact_fit_adds_seniority_department_and_title():
    fit, parts = contact_fit(contact("c", "Process Engineer", seniority="individual", department="Engineering"), RS)
    assert parts == {"seniority": 20.0, "department": 30.0, "title": 20.0}
    assert fit == 70.0


def test_contact_fit_unknowns_use_the_configured_defaults():
    fit, parts = contact_fit(contact("c"), RS)
    assert parts == {"seniority": RS.contact_fit.unknown_seniority, "department": RS.contact_fit.unknown_department, "title": 0}
    assert fit == 20.0


@pytest.mark.parametrize(
    "seniority, department, expected",
    [("C-Level", "R&D", (40.0, 30.0)), ("Vice President", "Production", (40.0, 30.0)),
     ("individual", "r_and_d", (20.0, 30.0)), ("Head", "Einkauf", (35.0, 25.0)), ("IC", "HR", (20.0, 0.0))],
)
def test_contact_fit_normalises_through_aliases(seniority, department, expected):
    _, parts = contact_fit(contact("c", seniority=seniority, department=department), RS)
    assert (parts["seniority"], parts["department"]) == expected


def test_contact_fit_is_clamped():
    _, parts = contact_fit(contact("c", "Werkstudent Marketing", seniority="intern", department="marketing"), RS)
    assert parts["title"] == -40.0
    assert contact_fit(contact("c", "Werkstudent Marketing", seniority="intern", department="marketing"), RS)[0] == 0.0
    rs = ruleset_with("[[contact_fit.title_patterns]]\npattern = 'engineer'\npoints = 500")
    assert contact_fit(contact("c", "Test Engineer"), rs)[0] == 100.0


def test_several_title_patterns_add_up():
    rs = ruleset_with(
        "[[contact_fit.title_patterns]]\npattern = 'test'\npoints = 5\n"
        "[[contact_fit.title_patterns]]\npattern = 'engineer'\npoints = 7"
    )
    assert contact_fit(contact("c", "Test Engineer"), rs)[1]["title"] == 12


# ------------------------------------------------------------------------------------ account fit
def test_icp_account_fit_and_its_explanation():
    fit, parts, detail = account_fit(account(), RS)
    assert parts == {"industry": 50.0, "employees": 15.0, "revenue": 8.0, "country": 20.0}
    assert fit == 93.0
    assert "semiconductors (microelectronics)" in detail and "DE (core)" in detail


@pytest.mark.parametrize(
    "industry, points",
    [("semiconductors", 50), ("Industrial Automation", 50), ("industrial-machinery", 50), ("Test & Measurement", 50),
     ("test_and_measurement", 50), ("software", 40), ("Software", 40), ("retail", 0), (None, 0)],
)
def test_industry_points(industry, points):
    assert account_fit(account(industry=industry), RS)[1]["industry"] == points


@pytest.mark.parametrize(
    "employees, points",
    [(None, 0), (0, 0), (49, 0), (50, 10), (199, 10), (200, 15), (999, 15), (1000, 20), (250_000, 20)],
)
def test_employee_bands_min_inclusive_max_exclusive(employees, points):
    assert account_fit(account(employees=employees), RS)[1]["employees"] == points


@pytest.mark.parametrize(
    "revenue, points",
    [(None, 0), (9_999_999, 0), (10_000_000, 5), (49_999_999, 5), (50_000_000, 8), (250_000_000, 10), (9e12, 10)],
)
def test_revenue_bands(revenue, points):
    assert account_fit(account(annual_revenue=revenue), RS)[1]["revenue"] == points


@pytest.mark.parametrize(
    "country, points", [("DE", 20), ("de", 20), ("Deutschland", 20), ("United States", 20), ("BR", 5), (None, 0), ("", 0)]
)
def test_country_points(country, points):
    assert account_fit(account(country=country), RS)[1]["country"] == points


def test_value_outside_every_band_scores_zero():
    rs = ruleset_with("[[account_fit.employee_bands]]\nmin = 100\nmax = 200\npoints = 10")
    assert account_fit(account(employees=50), rs)[1]["employees"] == 0
    assert account_fit(account(employees=150), rs)[1]["employees"] == 10


def test_account_fit_is_clamped_to_100():
    rs = ruleset_with("[account_fit]\nother_country_points = 500")
    assert account_fit(account(country="BR"), rs)[0] == 100.0
