"""The rules engine: pure qualification of accounts (no I/O, no clock; `as_of` is an argument).

Public API:
    evaluate(snapshot, ruleset, as_of) -> Qualification
    load_ruleset(text) / default_ruleset() / ruleset_errors(text) / RulesetError
    infer_roles(title, seniority, ruleset) -> [(role, confidence)]
    is_disqualified_domain / is_free_or_student_domain / domain_disqualifier
    apply_action(current_stage, action, reason, ruleset) -> new stage, TransitionError
"""

from .domains import domain_disqualifier, email_domain, is_competitor_domain, is_disqualified_domain, is_free_or_student_domain
from .engine import AUTOMATIC_STAGES, MANUAL_STAGES, STAGES, evaluate
from .result import Qualification
from .roles import infer_roles
from .ruleset import (
    Ruleset,
    RulesetError,
    default_ruleset,
    default_ruleset_text,
    load_ruleset,
    ruleset_errors,
    ruleset_from_data,
)
from .snapshot import AccountSnapshot, Activity, ActivityStat, ContactSnapshot, RoleAssignment, decay_weight, summarize
from .transitions import ACTIONS, TransitionError, allowed_actions, apply_action

__all__ = [
    "ACTIONS", "AUTOMATIC_STAGES", "MANUAL_STAGES", "STAGES", "AccountSnapshot", "Activity", "ActivityStat",
    "ContactSnapshot", "Qualification", "RoleAssignment", "Ruleset", "RulesetError", "TransitionError",
    "allowed_actions", "apply_action", "decay_weight", "default_ruleset", "default_ruleset_text",
    "domain_disqualifier", "email_domain", "evaluate", "infer_roles", "is_competitor_domain",
    "is_disqualified_domain", "is_free_or_student_domain", "load_ruleset", "ruleset_errors",
    "ruleset_from_data", "summarize",
]
