"""Batch ingest endpoints: each batch is validated whole and written as one transaction."""

from fastapi import APIRouter

from graphsvc.api.deps import Ingest, Now, State, batch_limit
from graphsvc.api.routes.inputs import NoNulParams
from graphsvc.auth.policy import Access
from graphsvc.ingest import models as m
from graphsvc.qualification.registry import requalify_touched

router = APIRouter(prefix="/v1", tags=["ingest"], dependencies=[NoNulParams])
# POST accounts, contacts, leads, activities.
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


@router.post("/contacts", response_model=m.ContactUpsertResult, responses=_ERRORS, dependencies=[batch_limit("contacts")],
             summary="Upsert a batch of contacts; without account_id they are matched by email domain")
def post_contacts(batch: m.ContactBatch, ingest: Ingest, state: State, now: Now) -> m.ContactUpsertResult:
    result = ingest.contacts(batch.contacts, now)
    # New contacts and roles change buying-center coverage: requalify their accounts too.
    result.stage_changes = _changes(requalify_touched(state, result.accounts_touched, now))
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
             "accounts of contacts with new activities are requalified in the same request; `stage_changes` "
             "lists those whose stage changed.")
def post_activities(batch: m.ActivityBatch, ingest: Ingest, state: State, now: Now) -> m.ActivityResult:
    result = ingest.activities(batch.activities, now)
    result.stage_changes = _changes(requalify_touched(state, result.accounts_touched, now))
    return result
