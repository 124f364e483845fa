"""The fixed vocabularies of the service, defined once: stages, sales actions, role sources.

Everything else (the engine, transitions, ruleset validation, ingest and API models, analytics,
the seeds' checks) imports them from here. Each vocabulary is a `Literal` type, for pydantic and
FastAPI models, and the tuple of its values in order, for code; the tuple is derived from the type
so the two cannot drift. Activity types and roles are *not* here: they are data, the ruleset's
`activities.points` and `roles.vocabulary`.

This module imports nothing: every layer may depend on it.
"""

from __future__ import annotations

from typing import Literal, get_args

# Account stages, in funnel order. The rules engine owns the automatic ones (up at once, down after
# the hold period); people set the others through actions, and the engine never overrides them.
AutomaticStage = Literal["target", "engaged", "mqa", "sql"]
PeopleStage = Literal["accepted", "opportunity", "won", "lost", "nurture", "disqualified"]
Stage = Literal[AutomaticStage, PeopleStage]

AUTOMATIC_STAGES: tuple[str, ...] = get_args(AutomaticStage)
PEOPLE_STAGES: tuple[str, ...] = get_args(PeopleStage)
MANUAL_STAGES = PEOPLE_STAGES  # the older name, kept in the public API
STAGES: tuple[str, ...] = AUTOMATIC_STAGES + PEOPLE_STAGES
FINAL_STAGES: tuple[str, ...] = ("won", "lost", "disqualified")  # no action leaves them
INITIAL_STAGE = "target"  # an account nobody has qualified yet

# What a person may do to an account's stage (the table is in transitions.py).
Action = Literal["accept", "reject", "recycle", "disqualify", "open_opportunity", "won", "lost"]
ACTIONS: tuple[str, ...] = get_args(Action)

# Where a role assignment comes from: confirmed by a person in sales, imported from a CRM, or
# inferred from title and seniority (with a confidence). `sql.role_sources` says which count.
RoleSource = Literal["sales", "import", "inferred"]
ROLE_SOURCES: tuple[str, ...] = get_args(RoleSource)

__all__ = [
    "ACTIONS", "AUTOMATIC_STAGES", "FINAL_STAGES", "INITIAL_STAGE", "MANUAL_STAGES", "PEOPLE_STAGES",
    "ROLE_SOURCES", "STAGES", "Action", "AutomaticStage", "PeopleStage", "RoleSource", "Stage",
]
