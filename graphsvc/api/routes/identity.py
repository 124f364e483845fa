"""Merging duplicates, listing candidate duplicates, and erasing a person (issue 15)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from graphsvc.api.deps import Now, State, Store
from graphsvc.api.routes.inputs import NoNulParams
from graphsvc.auth.policy import Access
from graphsvc.errors import InvalidInput
from graphsvc.identity.duplicates import account_candidates, contact_candidates
from graphsvc.identity.erasure import ErasureService
from graphsvc.identity.merge import Kind, MergeService
from graphsvc.ingest.models import Actor, Reason, RecordId
from graphsvc.qualification.registry import requalify_touched
from graphsvc.store import records

router = APIRouter(prefix="/v1", tags=["identity"], dependencies=[NoNulParams])
# Sales ops read candidates and merge; erasing a person (DELETE) is for admins only.
ACCESS = Access({"GET": ("sales",), "POST": ("sales",), "DELETE": ()})

MAX_MERGED = 100


class MergeIn(BaseModel):
    survivor: RecordId = Field(description="The record that stays.")
    merged: list[RecordId] = Field(
        min_length=1, max_length=MAX_MERGED, description="The records merged into it (deleted; their ids stay aliases).")
    actor: Actor = Field(description="Who merges (recorded with the merge).")
    reason: Reason | None = Field(default=None, description="Why, recorded with the merge.")


class MergeOut(BaseModel):
    survivor: str
    merged: list[str] = Field(description="Ids merged by this request.")
    already_merged: list[str] = Field(description="Ids that were aliases of the survivor already (a retried merge).")
    merge_id: str | None = Field(description="The Merge record written, or null when nothing was left to merge.")
    parent_id: str | None = Field(default=None, description="Accounts: the survivor's parent after the merge.")
    parent_dropped: str | None = Field(
        default=None, description="Accounts: a merged account's parent the survivor did not take, because it would "
        "have closed a loop in the hierarchy.")
    stage_changes: list[dict[str, Any]] = Field(default_factory=list,
                                                description="Accounts whose stage changed when requalified.")


_MERGE_ERRORS = {
    404: {"description": "No survivor with this id (the message names the record it was merged into, if any)."},
    409: {"description": "A merged id was already merged into another record; nothing changed."},
    422: {"description": "Unknown merged ids, the survivor among them, an id twice: each named; nothing changed."},
}
_MERGE_DOC = ("One transaction. The survivor keeps its own fields and stage and takes what it lacks; ids "
              "merged before (aliases of the survivor) are reported as `already_merged`, so a retry is safe. "
              "Ingest that names a merged id (or, for contacts, a merged email) lands on the survivor. The "
              "accounts involved are requalified in the same request.")


def _merge(kind: Kind, body: MergeIn, state: State, now: float) -> MergeOut:
    out = MergeService(state.store).merge(kind, body.survivor, body.merged, actor=body.actor, reason=body.reason,
                                          now=now)
    changes = requalify_touched(state, out.pop("accounts"), now)
    return MergeOut(**out, stage_changes=changes)


@router.post("/merges/contacts", response_model=MergeOut, responses=_MERGE_ERRORS,
             summary="Merge duplicate contacts into a survivor",
             description="The survivor takes every activity (its engagement aggregates are recomputed exactly), "
             "buying role (the better-sourced one when both hold it), report, manager (when it has none), lead and "
             "employer (when it has none). " + _MERGE_DOC)
def merge_contacts(body: MergeIn, state: State, now: Now) -> MergeOut:
    return _merge("contact", body, state, now)


@router.post("/merges/accounts", response_model=MergeOut, responses=_MERGE_ERRORS,
             summary="Merge duplicate accounts into a survivor",
             description="The survivor takes every contact (with their activities, roles and leads), buying group "
             "(by name), subsidiary and stage change (marked `merged_from`); it keeps its parent, or takes a merged "
             "account's when it has none and that closes no loop. " + _MERGE_DOC)
def merge_accounts(body: MergeIn, state: State, now: Now) -> MergeOut:
    return _merge("account", body, state, now)


def _merges(kind: Kind, record_id: str, store) -> list[dict[str, Any]]:
    return [records.iso_times(m) for m in MergeService(store).merges(kind, record_id)]


@router.get("/accounts/{account_id}/merges", summary="The merges recorded on an account (newest first)",
            description="Who merged which account ids into it, when and why.",
            responses={404: {"description": "Unknown account"}})
def account_merges(account_id: str, store: Store) -> list[dict[str, Any]]:
    return _merges("account", account_id, store)


@router.get("/contacts/{contact_id}/merges", summary="The merges recorded on a contact (newest first)",
            description="Who merged which contact ids into it, when and why.",
            responses={404: {"description": "Unknown contact"}})
def contact_merges(contact_id: str, store: Store) -> list[dict[str, Any]]:
    return _merges("contact", contact_id, store)


@router.get("/duplicates/contacts", summary="Candidate duplicate contacts",
            description="Groups of contacts with the same email (`same_email`), or the same name, normalised "
            "(case, accents, punctuation), at the same email domain (`same_name_and_domain`). Candidates: "
            "a person decides, then merges.")
def duplicate_contacts(store: Store) -> dict[str, Any]:
    return {"groups": contact_candidates(store)}


@router.get("/duplicates/accounts", summary="Candidate duplicate accounts",
            description="Groups of accounts with the same domain (`same_domain`) or the same name, normalised "
            "(case, accents, punctuation, legal forms such as Inc., GmbH, plc: `same_name`).")
def duplicate_accounts(store: Store) -> dict[str, Any]:
    return {"groups": account_candidates(store)}


class ErasureOut(BaseModel):
    erased: str = Field(description="The id that was erased (it no longer resolves).")
    anonymous_id: str = Field(description="The anonymous contact its activities now belong to.")
    account_id: str | None = Field(description="The account, requalified (its engagement is unchanged).")
    emails_hashed: int = Field(description="Emails kept as salted hashes only, to report a later import.")
    stage_changes: list[dict[str, Any]] = Field(default_factory=list)


@router.delete("/contacts/{contact_id}", response_model=ErasureOut,
               summary="Erase a person on request (GDPR Art. 17)",
               description="Requires `erase=true` (a DELETE without it is a 422). Removes the contact's personal data (id, email, name, title, "
               "seniority, department), its buying roles, reporting lines, aliases and merge records, and the "
               "personal fields of its leads. Its activities stay, on an anonymous contact at the same account, "
               "so the account's engagement and history stay exactly as they were. Its emails are kept only as "
               "salted hashes: a later import of one is accepted as new data and reported in "
               "`previously_erased`. Admin only.",
               responses={404: {"description": "Unknown contact"},
                          422: {"description": "`erase=true` missing: this endpoint only erases"}})
def erase_contact(contact_id: str, state: State, now: Now,
                  actor: Annotated[str, Query(min_length=1, max_length=200, description="Who erases (recorded).")],
                  erase: Annotated[bool, Query(description="Must be true: this endpoint only erases, and cannot be undone.",
                                               json_schema_extra={"enum": [True]})]) -> ErasureOut:
    if not erase:
        raise InvalidInput("DELETE only erases a person: pass erase=true (this cannot be undone)",
                           details=[{"row": None, "field": "query.erase", "message": "must be true"}])
    out = ErasureService(state.store).erase(contact_id, actor, now)
    changes = requalify_touched(state, [out["account_id"]] if out["account_id"] else [], now)
    return ErasureOut(**out, stage_changes=changes)
