"""The active ruleset of a running service and what the other features need of it."""

from __future__ import annotations

from graphsvc.api.state import AppState
from graphsvc.ingest.service import IngestRules
from graphsvc.rules.ruleset import Ruleset, default_ruleset
from graphsvc.store.graph_store import GraphStore


def active_ruleset_for(store: GraphStore) -> Ruleset:
    return default_ruleset()


def active_ruleset(state: AppState) -> Ruleset:
    return active_ruleset_for(state.store)


def ingest_rules_from(rs: Ruleset) -> IngestRules:
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


def ingest_rules_for(store: GraphStore) -> IngestRules:
    return ingest_rules_from(active_ruleset_for(store))


def ingest_rules(state: AppState) -> IngestRules:
    return ingest_rules_from(active_ruleset(state))


def requalify_touched(state: AppState, account_ids: list[str], now: float) -> list:
    return []
