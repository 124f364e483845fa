"""Batch ingest endpoints: each batch is validated whole and written as one transaction."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from graphsvc.api.deps import Ingest, Now, State, Store, batch_limit
from graphsvc.api.routes.inputs import NoNulParams
from graphsvc.auth.policy import Access
from graphsvc.errors import InvalidInput
from graphsvc.ingest import models as m
from graphsvc.qualification.registry import requalify_touched

router = APIRouter(prefix="/v1", tags=["ingest"], dependencies=[NoNulParams])
# POST accounts, contacts, leads, activities; GET requalification (what ingest left pending).
ACCESS = Access({"*": ("ingest",)})  # who may call these routes (graphsvc.auth.policy)

_ERRORS = {
    413: {"description": "More rows than GRAPHSVC_MAX_BATCH (default 10,000)."},
    400: {"description": "The body is not JSON, or nests too deep. Nothing was written."},
    422: {"description": "Bad rows: `details` names each row, field and problem. Nothing was written."},
    503: {"description": "The graph engine is not answering; retry."},
}


def _changes(changes: list[dict]) -> list[m.StageChangeOut]:
    return [m.StageChangeOut.model_validate(c) for c in changes]


@router.post("/accounts", response_model=m.UpsertResult, responses=_ERRORS, dependencies=[batch_limit("accounts")],
             summary="Upsert a batch of accounts (idempotent by id)")
def post_accounts(batch: m.AccountBatch, ingest: Ingest, now: Now) -> m.UpsertResult:
    return ingest.accounts(batch.accounts, now)


Requalify = Annotated[Literal["now", "later"], Query(
    description="`now` (default): requalify the touched accounts in this request and list the stage changes. "
    "`later`, for bulk loads: only mark them, in the transaction that writes the batch, and leave them to "
    "the service's pending drain (every GRAPHSVC_REQUALIFY_PENDING_INTERVAL_S), which requalifies each marked "
    "account once however many batches touched it since its last drain. Refused (422) when the drain is off.")]


def _requalify(state: State, result: m.ContactUpsertResult | m.ActivityResult, requalify: str, now: float) -> None:
    """Requalify what the write touched now, listing the stage changes; or, `later`, say that the
    marks the write left are the pending drain's."""
    if requalify == "later":
        result.requalification = "pending"
    else:
        result.stage_changes = _changes(requalify_touched(state, result.accounts_touched, now))


def _drain_is_on(state: State, requalify: str) -> None:
    """`later` is refused before anything is written when no drain would requalify the accounts."""
    if requalify == "later" and not state.settings.pending_drain_s:
        raise InvalidInput("requalify=later needs the pending drain, and it is off "
                           "(GRAPHSVC_REQUALIFY_PENDING_INTERVAL_S=0); nothing was written",
                           details=[{"row": None, "id": None, "field": "requalify",
                                     "message": "the pending drain is off: use requalify=now"}])


@router.post("/contacts", response_model=m.ContactUpsertResult, responses=_ERRORS, dependencies=[batch_limit("contacts")],
             summary="Upsert a batch of contacts; without account_id they are matched by email domain",
             description="The accounts of updated contacts (title, roles, employer: the former one too) are "
             "requalified in the same request, or with `requalify=later` left to the pending drain.")
def post_contacts(batch: m.ContactBatch, ingest: Ingest, state: State, now: Now,
                  requalify: Requalify = "now") -> m.ContactUpsertResult:
    _drain_is_on(state, requalify)
    result = ingest.contacts(batch.contacts, now)
    # An updated contact can change its accounts' buying-center coverage and engagement.
    _requalify(state, result, requalify, now)
    return result


@router.post("/leads", response_model=m.LeadResult, responses=_ERRORS, dependencies=[batch_limit("leads")],
             summary="Upsert leads and match them to accounts and contacts",
             description="Matching by email: an existing contact first, then the account whose domain (or a parent "
             "domain: eu.acme.com matches acme.com) is the email's; free-mail and student domains never match. "
             "A matched lead without a contact creates one. The response says per lead what matched or why not.")
def post_leads(batch: m.LeadBatch, ingest: Ingest, now: Now) -> m.LeadResult:
    return ingest.leads(batch.leads, now)


@router.post("/activities", response_model=m.ActivityResult, responses=_ERRORS,
             dependencies=[batch_limit("activities")],
             summary="Record a batch of activities (idempotent by id) and requalify the accounts they touch",
             description="Rows whose id was already recorded are counted as duplicates and change nothing. The "
             "accounts of contacts with new activities are requalified in the same request (`requalify=now`); "
             "`stage_changes` lists those whose stage changed. With `requalify=later` they are marked pending in the "
             "same transaction and requalified by the pending drain soon after (`requalification: pending`).")
def post_activities(batch: m.ActivityBatch, ingest: Ingest, state: State, now: Now,
                    requalify: Requalify = "now") -> m.ActivityResult:
    _drain_is_on(state, requalify)
    result = ingest.activities(batch.activities, now)
    _requalify(state, result, requalify, now)
    return result


class PendingOut(BaseModel):
    pending: int = Field(description="Accounts marked for requalification that no requalification has cleared yet.")
    drain_every_s: float | None = Field(description="How often the pending drain runs "
                                        "(GRAPHSVC_REQUALIFY_PENDING_INTERVAL_S); null: off in this service.")


@router.get("/requalification", response_model=PendingOut, responses={503: _ERRORS[503]},
            summary="How many accounts still wait for the requalification a write implied",
            description="After a bulk load with `requalify=later`: 0 once the pending drain has requalified every "
            "account the load touched. Also counts what a failure between a write and its requalification left.")
def get_requalification(store: Store, state: State) -> PendingOut:
    rows = store.read("qualification/pending_count")
    return PendingOut(pending=int(rows[0]["pending"]) if rows else 0, drain_every_s=state.settings.pending_drain_s or None)
