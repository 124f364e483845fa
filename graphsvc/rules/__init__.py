"""The rules engine: pure qualification of accounts (no I/O, no clock; `as_of` is an argument).

Public API (import these from `graphsvc.rules`, not from its modules):
    evaluate(snapshot, ruleset, as_of) -> Qualification
    load_ruleset(text) / default_ruleset() / ruleset_errors(text) / RulesetError
    infer_roles(title, seniority, ruleset) -> [(role, confidence)]
    crm_role(label, ruleset) -> (known, role): a CRM's role label through roles.crm_map
    email_domain / is_disqualified_domain / is_free_or_student_domain / domain_disqualifier
    apply_action(current_stage, action, reason, ruleset) -> new stage, TransitionError
    the vocabularies (graphsvc.rules.vocabulary): STAGES, AUTOMATIC_STAGES, PEOPLE_STAGES, ACTIONS,
    ROLE_SOURCES and their Literal types; activity types and roles are the ruleset's.
"""

from .domains import (
    domain_disqualifier,
    email_domain,
    email_hash,
    is_competitor_domain,
    is_disqualified_domain,
    is_free_or_student_domain,
)
from .engine import evaluate
from .loading import (
    RulesetError,
    default_ruleset,
    default_ruleset_text,
    load_ruleset,
    ruleset_errors,
    ruleset_from_data,
)
from .result import Qualification, to_jsonable
from .roles import crm_role, infer_roles
from .routing import RouteAccount, RouteDecision, decide
from .ruleset import Ruleset
from .ruleset_fields import normalize_key
from .sla import SLA_STAGES, SlaStatus, due_at, sla_status
from .snapshot import (
    SECONDS_PER_DAY,
    AccountSnapshot,
    Activity,
    ActivityStat,
    BantEntry,
    ContactSnapshot,
    GroupInfo,
    RoleAssignment,
    decay_weight,
    summarize,
)
from .transitions import TransitionError, allowed_actions, apply_action
from .vocabulary import (
    ACTIONS,
    AUTOMATIC_STAGES,
    FINAL_STAGES,
    INITIAL_STAGE,
    MANUAL_STAGES,
    PEOPLE_STAGES,
    ROLE_SOURCES,
    STAGES,
    Action,
    AutomaticStage,
    PeopleStage,
    RoleSource,
    Stage,
)

__all__ = [
    "ACTIONS", "AUTOMATIC_STAGES", "FINAL_STAGES", "INITIAL_STAGE", "MANUAL_STAGES", "PEOPLE_STAGES", "ROLE_SOURCES",
    "SECONDS_PER_DAY", "STAGES", "AccountSnapshot", "Action", "Activity", "ActivityStat", "AutomaticStage", "BantEntry",
    "ContactSnapshot", "PeopleStage", "crm_role", "Qualification", "RoleAssignment", "RoleSource", "Ruleset", "RulesetError",
    "Stage", "TransitionError", "allowed_actions", "apply_action", "decay_weight", "default_ruleset",
    "default_ruleset_text", "domain_disqualifier", "email_domain", "email_hash", "evaluate", "infer_roles", "is_competitor_domain",
    "is_disqualified_domain", "is_free_or_student_domain", "load_ruleset", "normalize_key", "ruleset_errors", "ruleset_from_data",
    "summarize", "to_jsonable", "SLA_STAGES", "SlaStatus", "due_at", "sla_status",
    "GroupInfo",  # issue 15: a buying group of an account snapshot
    "RouteAccount", "RouteDecision", "decide",
]
