"""The active ruleset of a running service and what the other features need of it."""

from __future__ import annotations

from graphsvc.api.state import AppState
from graphsvc.ingest.service import IngestRules
from graphsvc.rules.ruleset import Ruleset, default_ruleset


def active_ruleset(state: AppState) -> Ruleset:
    return default_ruleset()


def ingest_rules(state: AppState) -> IngestRules:
    rs = active_ruleset(state)
    compiled = rs.compiled
    blocked = compiled.free_mail | compiled.competitors

    def never_match(domain: str) -> bool:
        parts = domain.split(".")
        suffixes = {".".join(parts[i:]) for i in range(len(parts))}
        if suffixes & (blocked | compiled.student_suffixes):
            return True
        return any(p.search(domain) for p in compiled.student_patterns)

    return IngestRules(
        activity_types=frozenset(rs.activities.points),
        roles=frozenset(rs.roles.vocabulary),
        never_match=never_match,
    )


def requalify_touched(state: AppState, account_ids: list[str], now: float) -> list:
    return []
