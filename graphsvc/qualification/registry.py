"""The active ruleset of a running service, and what the other features need of it.

The active ruleset lives in the graph (a `Ruleset` node holding its TOML), so every API worker and
replica agrees on it. Each process caches parsed rulesets by version and re-reads the active
version at most once a second (one tiny query; the TOML only when a version is new to the
process), so a `PUT /v1/rules` on one worker reaches all of them within a second.
"""

from __future__ import annotations

import threading
import time
import weakref

from graphsvc.api.state import AppState
from graphsvc.ingest.service import IngestRules
from graphsvc.rules.domains import is_disqualified_domain
from graphsvc.rules.ruleset import Ruleset, default_ruleset, load_ruleset
from graphsvc.store.graph_store import GraphStore

_cache: dict[str, Ruleset] = {}
_lock = threading.Lock()
# The active version, re-read at most once a second per store: a PUT /v1/rules on another worker
# reaches this one within a second (on this worker at once, see activate()).
VERSION_TTL_S = 1.0
_version: weakref.WeakKeyDictionary[GraphStore, tuple[float, str | None]] = weakref.WeakKeyDictionary()


def _active_version(store: GraphStore) -> str | None:
    key, now = store, time.monotonic()
    with _lock:
        seen = _version.get(key)
    if seen and now - seen[0] < VERSION_TTL_S:
        return seen[1]
    row = store.read_one("qualification/active_ruleset_version")
    version = row["version"] if row else None
    with _lock:
        _version[key] = (now, version)
    return version


def active_ruleset_for(store: GraphStore) -> Ruleset:
    version = _active_version(store)
    if version is None:
        return default_ruleset()
    with _lock:
        rs = _cache.get(version)
    if rs is None:
        row = store.read_one("qualification/active_ruleset")
        if row is None:  # the version seen a moment ago is gone (a store was reset)
            return default_ruleset()
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
        _version[store] = (time.monotonic(), rs.version)
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
