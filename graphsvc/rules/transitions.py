"""Sales actions on an account's stage: a pure, exhaustive table.

    action            from                                               to            reason
    accept            transitions.accept_from (default: sql)             accepted      optional
    reject            sql, accepted                                      nurture       required, in transitions.reject_reasons
    recycle           target, engaged, mqa, sql, accepted, opportunity   nurture       optional
    disqualify        every stage but won, lost, disqualified            disqualified  required (in disqualify_reasons when that list is set)
    open_opportunity  accepted                                           opportunity   optional
    won               opportunity                                        won           optional
    lost              opportunity                                        lost          optional

Every other (stage, action) pair raises `TransitionError` and must change nothing (HTTP 409; a
missing or unknown reason is `code` "reason_required" / "invalid_reason", which the API may answer
with 422). `won`, `lost` and `disqualified` are final. Accepting an MQA is not allowed by default:
it would skip the buying-center gate; confirm the missing roles instead (the account then becomes
an SQL by rule), or list "mqa" in `transitions.accept_from`.
"""

from __future__ import annotations

from .ruleset import Ruleset
from .vocabulary import ACTIONS, FINAL_STAGES, STAGES


class TransitionError(Exception):
    """An action that does not fit the stage (or lacks a valid reason). `code` says which:
    "unknown_action", "unknown_stage", "not_allowed", "reason_required", "invalid_reason"."""

    def __init__(self, message: str, code: str = "not_allowed") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def transition_table(ruleset: Ruleset) -> dict[str, dict[str, str]]:
    """action -> {from_stage: to_stage}: the complete set of allowed transitions."""
    non_final = [s for s in STAGES if s not in FINAL_STAGES]
    return {
        "accept": {s: "accepted" for s in ruleset.transitions.accept_from},
        "reject": {"sql": "nurture", "accepted": "nurture"},
        "recycle": {s: "nurture" for s in non_final if s != "nurture"},
        "disqualify": {s: "disqualified" for s in non_final},
        "open_opportunity": {"accepted": "opportunity"},
        "won": {"opportunity": "won"},
        "lost": {"opportunity": "lost"},
    }


def allowed_actions(stage: str, ruleset: Ruleset) -> list[str]:
    """The actions a person may take on an account in `stage` (for UIs), in ACTIONS order."""
    table = transition_table(ruleset)
    return [a for a in ACTIONS if stage in table[a]]


def apply_action(current_stage: str, action: str, reason: str | None, ruleset: Ruleset) -> str:
    """The stage after `action`, or TransitionError. Pure: the caller records the change."""
    if action not in ACTIONS:
        raise TransitionError(f"unknown action {action!r}; expected one of {', '.join(ACTIONS)}", "unknown_action")
    if current_stage not in STAGES:
        raise TransitionError(f"unknown stage {current_stage!r}", "unknown_stage")
    table = transition_table(ruleset)[action]
    if current_stage not in table:
        allowed = ", ".join(table) or "no stage"
        raise TransitionError(
            f"cannot {action} an account in stage {current_stage} (allowed from: {allowed})", "not_allowed"
        )
    text = (reason or "").strip()
    if action == "reject":
        reasons = ruleset.transitions.reject_reasons
        if not text:
            raise TransitionError(f"reject needs a reason, one of: {', '.join(reasons)}", "reason_required")
        if text not in reasons:
            raise TransitionError(f"unknown reject reason {text!r}; expected one of: {', '.join(reasons)}", "invalid_reason")
    if action == "disqualify":
        reasons = ruleset.transitions.disqualify_reasons
        if not text:
            raise TransitionError("disqualify needs a reason", "reason_required")
        if reasons and text not in reasons:
            raise TransitionError(
                f"unknown disqualify reason {text!r}; expected one of: {', '.join(reasons)}", "invalid_reason"
            )
    return table[current_stage]
