"""The active ruleset of a running service, and what the other features need of it.

The active ruleset lives in the graph (a `Ruleset` node holding its TOML), so every API worker and
replica agrees on it. Each process caches parsed rulesets by version and re-reads the active
version at most once a second (one tiny query; the TOML only when a version is new to the
process), so a `PUT /v1/rules` on one worker reaches all of them within a second.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from graphsvc.errors import GraphsvcError, StoreError
from graphsvc.rules import Ruleset, RulesetError, default_ruleset, default_ruleset_text, load_ruleset
from graphsvc.state import AppState
from graphsvc.store.graph_store import GraphStore
from graphsvc.store.per_store import PerStore

__all__ = ["activate", "active_ruleset", "active_ruleset_document", "active_ruleset_for", "requalify_touched"]

log = logging.getLogger("graphsvc.rules")
_cache: dict[str, Ruleset] = {}
_lock = threading.Lock()
# The active version, re-read at most once a second per store: a PUT /v1/rules on another worker
# reaches this one within a second (on this worker at once, see activate()).
VERSION_TTL_S = 1.0
_version: PerStore[str | None] = PerStore(VERSION_TTL_S)


def _read_version(store: GraphStore) -> str | None:
    row = store.read_one("qualification/active_ruleset_version")
    return row["version"] if row else None


def _active_version(store: GraphStore) -> str | None:
    return _version.get(store, _read_version)


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
        rs = _stored(row["toml"])
        with _lock:
            _cache[rs.version] = rs
    return rs


def active_ruleset_document(store: GraphStore) -> dict[str, Any]:
    """The active ruleset as data, with its TOML text (the default's when none was activated)."""
    rs = active_ruleset_for(store)
    row = store.read_one("qualification/active_ruleset")
    return {**rs.to_dict(), "toml": row["toml"] if row else default_ruleset_text(), "default": row is None}


def _stored(text: str) -> Ruleset:
    """A ruleset read back from the graph. It was valid when activated; types were lenient then
    (2.0 for 2), so they are here: an upgrade must not turn the active ruleset into an outage."""
    try:
        return load_ruleset(text, lenient_types=True)
    except RulesetError as exc:
        raise StoreError(f"the active ruleset stored in the graph is not valid ({exc}); "
                         "PUT /v1/rules a valid one to replace it") from exc


def activate(store: GraphStore, text: str, *, actor: str, now: float, processes: int = 1,
             progress: Callable[[str, int], None] | None = None) -> tuple[Ruleset, dict[str, Any]]:
    """Validate, apply to every account (over `processes` worker processes: qualification.parallel),
    and make it the active ruleset: all or nothing.

    Invalid: RulesetError listing every problem, nothing written. Valid: every account is
    requalified with it first and it becomes active last, in one statement; if anything fails
    before that statement took effect, the previous ruleset stays active, the accounts already
    requalified with the new one are requalified back, and the error raised says all of that.
    Returns the ruleset and the requalification's result. `progress(phase, done)`: `engagement` and
    the contacts whose aggregates were rebuilt (first, when the half-life is new), then `requalify`
    and the accounts requalified."""
    from graphsvc.qualification.parallel import requalify_all
    from graphsvc.qualification.service import QualificationService

    rs = load_ruleset(text)
    done, applied = 0, False

    def count(accounts: int, _changed: int) -> None:
        nonlocal done
        done = accounts
        if progress is not None:
            progress("requalify", accounts)

    def rebuilt(contacts: int, _activities: int) -> None:
        if progress is not None:
            progress("engagement", contacts)

    try:
        result = requalify_all(QualificationService(store, rs), now, processes=processes, progress=count,
                               rebuild_progress=rebuilt)
        applied = True
        store.write("qualification/activate_ruleset", version=rs.version, toml=text, at=now, actor=actor)
    except Exception as exc:  # noqa: BLE001 - whatever failed, the answer must say what is active
        # The engine may have committed the activation and lost only its answer: then it is done.
        if not (applied and _read_active_version(store, default=False) == rs.version):
            raise _not_activated(store, rs, exc, done, applied, now, processes) from exc
        log.warning("ruleset %s: the engine committed its activation but answered %r", rs.version, exc)
    with _lock:
        _cache[rs.version] = rs
    _version.put(store, rs.version)
    return rs, result


def _read_active_version(store: GraphStore, default: Any = None) -> Any:
    """The active version read afresh (None: the default ruleset), or `default` if the read fails."""
    try:
        row = store.read_one("qualification/active_ruleset_version")
    except Exception:  # noqa: BLE001 - only ever used to report, after another failure
        return default
    return row["version"] if row else None


def _not_activated(store: GraphStore, rs: Ruleset, exc: Exception, done: int, applied: bool, now: float,
                   processes: int = 1) -> GraphsvcError:
    """The error for a failed activation: the cause's kind (a 503 stays a 503), and the truth about
    which ruleset is active and what became of the accounts already requalified with the new one."""
    from graphsvc.qualification.parallel import requalify_all
    from graphsvc.qualification.service import QualificationService

    kind = type(exc) if isinstance(exc, GraphsvcError) else StoreError
    if not isinstance(exc, GraphsvcError):
        log.error("activating ruleset %s failed", rs.version, exc_info=exc)
    active = _read_active_version(store, default=False)
    if active is False and applied:  # the activation statement ran; whether it took effect is unknown
        return kind(f"ruleset {rs.version} may or may not have been activated: {_why(exc)}. Every account was "
                    "requalified with it; GET /v1/rules says which ruleset is active.",
                    details={"activated": None, "attempted_version": rs.version, "requalified_with_attempted": done})
    active_version = None if active is False else active or default_ruleset().version
    if active is False:
        said = "The active ruleset could not be read back, but the new one was never activated."
    else:
        said = f"The active ruleset is still {active_version}{'' if active else ' (the default)'}."
    restored: bool | None = None
    if done and active_version != rs.version:
        said += f" {done} account(s) had been requalified with {rs.version} before the failure"
        try:
            requalify_all(QualificationService(store, active_ruleset_for(store)), now, processes=processes)
            restored = True
            said += "; they were requalified back with the active ruleset."
        except Exception as again:  # noqa: BLE001 - the engine is still failing: say what that means
            restored = False
            said += (f"; requalifying them back failed too ({_why(again)}): they return to the active "
                     "ruleset's outcome when next requalified (periodic pass, or their next activity).")
    details = {"activated": False, "active_version": active_version, "attempted_version": rs.version,
               "requalified_with_attempted": done, "restored": restored}
    return kind(f"ruleset {rs.version} was NOT activated: {_why(exc)}. {said}", details=details)


def _why(exc: Exception) -> str:
    return exc.message if isinstance(exc, GraphsvcError) else f"{type(exc).__name__}: {exc}"


def active_ruleset(state: AppState) -> Ruleset:
    return active_ruleset_for(state.store)


def requalify_touched(state: AppState, account_ids: list[str], now: float) -> list[dict[str, Any]]:
    """Requalify the accounts a write touched; the stage changes it made."""
    if not account_ids:
        return []
    from graphsvc.qualification.service import QualificationService

    return QualificationService(state.store, active_ruleset(state)).requalify(account_ids, now)
