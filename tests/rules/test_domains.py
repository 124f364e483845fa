"""Disqualifying domains: competitors, free-mail, students; subdomains count, look-alikes do not."""

from __future__ import annotations

import pytest

from graphsvc.rules import (
    domain_disqualifier,
    email_domain,
    is_competitor_domain,
    is_disqualified_domain,
    is_free_or_student_domain,
)

from .factory import RS, ruleset_with


@pytest.mark.parametrize(
    "value, reason",
    [
        ("gmail.com", "free_mail"),
        ("eu.gmail.com", "free_mail"),  # subdomains count
        ("GMail.COM.", "free_mail"),  # case and a trailing dot do not matter
        ("jane.doe@gmail.com", "free_mail"),  # an e-mail address works too
        ("jane@Web.de", "free_mail"),
        ("orange.fr", "free_mail"),
        ("mit.edu", "student"),
        ("cs.ox.ac.uk", "student"),
        ("student.tudelft.nl", "student"),
        ("uni-stuttgart.de", "student"),
        ("etu.univ-lyon1.fr", "student"),
        ("competitor.example", "competitor"),
        ("mail.competitor.example", "competitor"),
        ("sales@rival-metrology.example", "competitor"),
        ("acme.example", None),
        ("notgmail.com", None),  # a look-alike is not gmail
        ("gmail.com.evil.example", None),  # nor is a domain that merely contains it
        ("educause.org", None),
        ("", None),
        (None, None),
    ],
)
def test_domain_disqualifier(value, reason):
    assert domain_disqualifier(value, RS) == reason
    assert is_disqualified_domain(value, RS) is (reason is not None)
    assert is_free_or_student_domain(value, RS) is (reason in ("free_mail", "student"))
    assert is_competitor_domain(value, RS) is (reason == "competitor")


def test_email_domain():
    assert email_domain(" Jane@Sub.Acme.Example ") == "sub.acme.example"
    assert email_domain("acme.example") == "acme.example"
    assert email_domain(None) == ""


def test_lists_are_configurable():
    rs = ruleset_with("[disqualifiers]\ncompetitor_domains = ['acme.example']\nfree_mail_domains = []")
    assert domain_disqualifier("x@eu.acme.example", rs) == "competitor"
    assert domain_disqualifier("gmail.com", rs) is None
