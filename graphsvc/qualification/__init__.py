"""Qualification service: the active ruleset, requalification, readiness, transitions (issue 3)."""
