"""Readiness, buying center, history and sales transitions of one account."""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from graphsvc.api.deps import Now, Qualifier
from graphsvc.api.routes.inputs import NoNulParams
from graphsvc.api.routes.outputs import json_response
from graphsvc.auth.policy import Access
from graphsvc.events.owners import history_with_owners, owner_changes
from graphsvc.events.sla import sla_view
from graphsvc.ingest.models import Actor, IsoTime, Reason
from graphsvc.lab import service as lab
from graphsvc.qualification.buying_center_view import buying_center_view
from graphsvc.rules import Action, sla_status
from graphsvc.store.records import iso, iso_times

router = APIRouter(prefix="/v1/accounts", tags=["qualification"], dependencies=[NoNulParams])
# Readiness, buying center, history, transitions.
ACCESS = Access({"*": ("sales",)})  # who may call these routes (graphsvc.auth.policy)

AsOf = Annotated[
    IsoTime | None,
    Query(description="Evaluate as of this moment (ISO-8601 with timezone); default now. Activities after it "
                      "are ignored and the stage is the one the account had then."),
]
_404 = {404: {"description": "Unknown account"}}


def _as_of(as_of: datetime | None, now: float) -> float:
    return min(as_of.timestamp(), now) if as_of else now


@router.get("/{account_id}/readiness", responses=_404, summary="Is the account ready for sales, and if not, why?",
            description="Stage, scores, every MQA and SQL check (name, passed, value, threshold, detail), the top "
            "contributing contacts and activities, the buying-center summary, the next action with why, and `sla` "
            "(SQL and MQA): the stage's SLA, due and reminder times and state (on_time, due_soon, breached); "
            "`prediction`: the probability of being won from the rules lab's score model with its top factors in "
            "words, or (null probability) why there is none yet; `requalify_at`: when time alone (decay below a bar, "
            "an intent or role window expiring, a hold ending) next changes this outcome, null if never (the periodic "
            "requalifier requalifies the account then). Read-only: nothing is written.")
def readiness(account_id: str, q: Qualifier, now: Now, as_of: AsOf = None) -> Response:
    at = _as_of(as_of, now)
    result, stored, snap = q.evaluate_at(account_id, at, now)
    body = iso_times(result.to_dict())
    body["stored_stage"] = stored["stage"]
    entered = at if result.changed or snap.stage_since is None else snap.stage_since  # as next_action counts it
    body["sla"] = sla_view(sla_status(result.stage, entered, q.ruleset.sla, at))
    prediction = lab.prediction(q.store, snap, q.ruleset)
    body["prediction"] = {**prediction, "fitted_at": iso(prediction["fitted_at"])}
    body["buying_center"] = {k: body["buying_center"][k] for k in ("required", "missing", "unengaged", "covered")}
    return json_response(body)


@router.get("/{account_id}/buying-center", responses=_404, summary="Per required role: covered or missing, and who could cover it",
            description="Covered roles list their contacts with role source, confidence and when they last engaged; "
            "missing or unengaged roles list candidate contacts (title inference) and, where the org chart allows, "
            "the shortest introduction path from a contact engaged within the ruleset's window, over REPORTS_TO. "
            "`reporting_lines` lists the account's org chart as `{from: contact, to: manager}` pairs.")
def buying_center(account_id: str, q: Qualifier, now: Now, as_of: AsOf = None) -> Response:
    result, _, snap = q.evaluate_at(account_id, _as_of(as_of, now), now)
    return json_response(iso_times(buying_center_view(result, snap, q.ruleset)))


@router.get("/{account_id}/history", responses=_404, summary="Every stage change and owner change, oldest first",
            description="Each entry has `type`. `stage_changed`: id, from, to, at, actor (`rules@<version>` or the "
            "user), action, reason, ruleset. `owner_changed` (issue 12): id, event_id (its owner_assigned event), at, "
            "actor, from_owner, to_owner, source (`person`: PUT /v1/accounts/{id}/owner, with the actor and reason; "
            "`routing`: the ruleset's [routing], with the `rule` that decided and its team and strategy).")
def history(account_id: str, q: Qualifier) -> list[dict[str, Any]]:
    rows = history_with_owners(q.history(account_id), owner_changes(q.store, account_id))
    if not rows:
        q.snapshot(account_id, 0.0)  # 404 for an unknown account; a known one may have no changes yet
    return [{**r, "at": iso(r["at"])} for r in rows]


class TransitionIn(BaseModel):
    action: Action
    reason: Reason | None = Field(
        default=None, description="Required for reject (from the ruleset's list) and disqualify.")
    actor: Actor = Field(description="The user taking the action.")


@router.post("/{account_id}/transitions", summary="A sales action: accept, reject, recycle, disqualify, open_opportunity, won, lost",
             responses={**_404, 409: {"description": "The action does not fit the account's stage; nothing changed"},
                        422: {"description": "Missing or unknown reason"}})
def transition(account_id: str, body: TransitionIn, q: Qualifier, now: Now) -> dict[str, Any]:
    out = q.transition(account_id, body.action, body.reason, body.actor, now)
    return {**out, "at": iso(out["at"])}
