"""The active ruleset of a running service, and what the other features need of it.

The active ruleset lives in the graph (a `Ruleset` node holding its TOML), so every API worker and
replica agrees on it. Each process caches parsed rulesets by version and reads only the active
version per request (one tiny query; the TOML only when a version is new to the process), so a
`PUT /v1/rules` on one worker reaches all of them at their next request.
"""

from __future__ import annotations

import threading

from graphsvc.api.state import AppState
from graphsvc.ingest.service import IngestRules
from graphsvc.rules.domains import is_disqualified_domain
from graphsvc.rules.ruleset import Ruleset, default_ruleset, load_ruleset
from graphsvc.store.graph_store import GraphStore

_cache: dict[str, Ruleset] = {}
_lock = threading.Lock()


def active_ruleset_for(store: GraphStore) -> Ruleset:
    current = store.read_one("qualification/active_ruleset_version")
    if current is None:
        return default_ruleset()
    with _lock:
        rs = _cache.get(current["version"])
    if rs is None:
        row = store.read_one("qualification/active_ruleset")
        rs = load_ruleset(row["toml"])
        with _lock:
            _cache[rs.version] = rs
    return rs


def activate(store: GraphStore, text: str, *, actor: str, now: float) -> Ruleset:
    """Validate (raises RulesetError listing every problem) and make it the active ruleset."""
    rs = load_ruleset(text)
    store.write("qualification/activate_ruleset", version=rs.version, toml=text, at=now, actor=actor)
    with _lock:
        _cache[rs.version] = rs
    return rs


def active_ruleset(state: AppState) -> Ruleset:
    return active_ruleset_for(state.store)


def ingest_rules_from(rs: Ruleset) -> IngestRules:
    return IngestRules(
        activity_types=frozenset(rs.activities.points),
        roles=frozenset(rs.roles.vocabulary),
        # Free-mail, student and competitor domains never match an account.
        never_match=lambda domain: is_disqualified_domain(domain, rs),
    )


def ingest_rules_for(store: GraphStore) -> IngestRules:
    return ingest_rules_from(active_ruleset_for(store))


def ingest_rules(state: AppState) -> IngestRules:
    return ingest_rules_from(active_ruleset(state))


def requalify_touched(state: AppState, account_ids: list[str], now: float) -> list[dict]:
    """Requalify the accounts a write touched; the stage changes it made."""
    if not account_ids:
        return []
    from graphsvc.qualification.service import QualificationService

    return QualificationService(state.store, active_ruleset(state)).requalify(account_ids, now)
