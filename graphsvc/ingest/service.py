"""Ingest: check a whole batch against the rules and the graph, then write it in one transaction.

Nothing is written while any row is wrong: every bad row and field is reported at once (422).
Writes are idempotent by id, so a retried batch changes nothing.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from graphsvc.errors import InvalidInput, NotFound
from graphsvc.ingest import models as m
from graphsvc.ingest.domains import match_domains, normalise_domain
from graphsvc.ingest.repository import IngestRepository
from graphsvc.rules import SECONDS_PER_DAY, Ruleset, email_domain, is_disqualified_domain
from graphsvc.store.graph_store import GraphStore

__all__ = ["FUTURE_SKEW_S", "IngestService", "group_id", "ingest_rules_from"]

FUTURE_SKEW_S = 300.0  # clocks disagree a little; an activity 5 minutes "ahead" is not an error


@dataclass(frozen=True)
class IngestRules:
    """What ingest needs to know of the active ruleset."""

    activity_types: frozenset[str]
    roles: frozenset[str]
    never_match: Callable[[str], bool]
    # The half-life the engagement aggregates are kept for on a graph that starts empty
    # (IngestService.engagement_from_start); None: leave them to the first full requalification.
    half_life_s: float | None = None


def ingest_rules_from(rs: Ruleset) -> IngestRules:
    """What ingest needs of a ruleset (the active one: `qualification.registry.active_ruleset`)."""
    return IngestRules(
        activity_types=frozenset(rs.activities.points),
        roles=frozenset(rs.roles.vocabulary),
        # Free-mail, student and competitor domains never match an account.
        never_match=lambda domain: is_disqualified_domain(domain, rs),
        half_life_s=float(rs.activities.half_life_days * SECONDS_PER_DAY),
    )


class RowErrors:
    """Collects {row, id, field, message} for a batch; `raise_if_any()` raises one 422."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.items: list[dict[str, Any]] = []

    def add(self, row: int, field: str, message: str, row_id: str | None = None) -> None:
        self.items.append({"row": row, "id": row_id, "field": field, "message": message})

    def raise_if_any(self) -> None:
        if self.items:
            rows = len({e["row"] for e in self.items})
            raise InvalidInput(
                f"{rows} {self.kind} row(s) are invalid; nothing was written", details=self.items
            )


def epoch(dt: datetime) -> float:
    return dt.timestamp()


def _duplicates(errors: RowErrors, ids: Sequence[str]) -> None:
    seen: dict[str, int] = {}
    for i, row_id in enumerate(ids):
        if row_id in seen:
            errors.add(i, "id", f"duplicate id in this batch (also row {seen[row_id]})", row_id)
        else:
            seen[row_id] = i


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_") or "default"


def group_id(account_id: str, group_name: str | None) -> str:
    return f"{account_id}:{_slug(group_name or 'default')}"


class IngestService:
    def __init__(self, store: GraphStore, rules: IngestRules) -> None:
        self.store = store
        self.repo = IngestRepository(store)
        self.rules = rules

    def engagement_from_start(self) -> bool:
        """On a graph with no contact yet, keep the engagement aggregates from the first activity
        (ingest/engagement_from_start), so neither the requalification each activity batch implies
        nor the first full pass replays history. Run by every bulk writer (`serve` at start, the
        loader behind `seed` and the demo, file imports) before it writes: sequentially, so no
        activity can land between the check and the index. True when the index was created."""
        if self.rules.half_life_s is None:
            return False
        return self.repo.engagement_from_start(self.rules.half_life_s)

    def _follow_aliases(self, rows: Sequence[Any], kind: str, fields: tuple[str, ...]) -> list[Any]:
        """Rows whose `fields` name a merged record, rewritten to name its survivor (issue 15: ingest
        with an old id lands on the survivor). One lookup per batch."""
        aliases = self.repo.aliases(kind, [getattr(r, f) for r in rows for f in fields])
        if not aliases:
            return list(rows)
        return [r.model_copy(update={f: aliases[getattr(r, f)] for f in fields if getattr(r, f) in aliases})
                for r in rows]

    # -- accounts ---------------------------------------------------------------------------------
    def accounts(self, rows: Sequence[m.AccountIn], now: float) -> m.UpsertResult:
        rows = self._follow_aliases(rows, "account", ("id", "parent_id"))
        errors = RowErrors("account")
        _duplicates(errors, [r.id for r in rows])
        batch_ids = {r.id for r in rows}
        parents = {r.parent_id for r in rows if r.parent_id}
        known, _ = self.repo.existing_ids(accounts=sorted(parents - batch_ids))
        # The parent chains as they will be after this batch: the stored links above every parent
        # the batch names, overridden by the batch's own links (a row without a parent_id key keeps
        # its stored link), so a loop closed through stored accounts is refused too (issue 15).
        parent_of = self.repo.stored_parents(sorted(parents)) if parents else {}
        parent_of.update({r.id: r.parent_id for r in rows if "parent_id" in r.model_fields_set})
        for i, r in enumerate(rows):
            if r.parent_id is None:
                continue
            if r.parent_id == r.id:
                errors.add(i, "parent_id", "an account cannot be its own parent", r.id)
            elif r.parent_id not in batch_ids and r.parent_id not in known:
                errors.add(i, "parent_id", f"unknown account {r.parent_id!r}", r.id)
            elif loop := _loop(r.id, parent_of):
                errors.add(i, "parent_id", f"the parent chain loops back to this account: {' -> '.join(loop)}", r.id)
        errors.raise_if_any()
        upserts, links = [], []
        for r in rows:
            props = r.model_dump(exclude_unset=True, exclude={"id", "parent_id"})
            if "domain" in props:
                props["domain"] = normalise_domain(props["domain"])
            if "domains" in props:  # an empty list removes them (FalkorDB keeps no empty list: null it)
                props["domains"] = sorted({d for d in map(normalise_domain, props["domains"] or []) if d}) or None
            upserts.append({"id": r.id, "props": props})
            if "parent_id" in r.model_fields_set:
                links.append({"id": r.id, "parent_id": r.parent_id})
        return m.UpsertResult(**self.repo.upsert_accounts(upserts, links, now))

    # -- contacts ---------------------------------------------------------------------------------
    def contacts(self, rows: Sequence[m.ContactIn], now: float) -> m.ContactUpsertResult:
        rows = self._follow_aliases(rows, "contact", ("id", "reports_to"))
        rows = self._follow_aliases(rows, "account", ("account_id",))
        errors = RowErrors("contact")
        _duplicates(errors, [r.id for r in rows])
        emails = [r.email.lower() for r in rows]
        batch_ids = {r.id for r in rows}
        accounts, contacts = self.repo.existing_ids(
            accounts=[r.account_id for r in rows if r.account_id],
            contacts=[r.reports_to for r in rows if r.reports_to and r.reports_to not in batch_ids],
        )
        owners = self.repo.contacts_by_emails(emails)
        unresolved = {email_domain(e) for r, e in zip(rows, emails) if not r.account_id}
        matched = match_domains(unresolved, self.repo.accounts_by_domains, self.rules.never_match)
        first_email: dict[str, int] = {}
        account_of: dict[str, str | None] = {}
        for i, (r, email) in enumerate(zip(rows, emails)):
            if email in first_email:
                errors.add(i, "email", f"same email as row {first_email[email]} (one contact per email)", r.id)
            first_email.setdefault(email, i)
            owner = owners.get(email)
            if owner and owner["id"] != r.id:
                errors.add(i, "email", f"{email} already belongs to contact {owner['id']!r}", r.id)
            if r.account_id:
                if r.account_id not in accounts:
                    errors.add(i, "account_id", f"unknown account {r.account_id!r}", r.id)
                account_of[r.id] = r.account_id
            else:
                account_of[r.id] = matched[email_domain(email)][0]
            if r.reports_to == r.id:
                errors.add(i, "reports_to", "a contact cannot report to itself", r.id)
            elif r.reports_to and r.reports_to not in batch_ids and r.reports_to not in contacts:
                errors.add(i, "reports_to", f"unknown contact {r.reports_to!r}", r.id)
            for j, role in enumerate(r.roles or []):
                if role.role not in self.rules.roles:
                    errors.add(i, f"roles[{j}].role", f"unknown role {role.role!r}; expected one of {sorted(self.rules.roles)}", r.id)
            if r.roles and not account_of[r.id]:
                errors.add(i, "roles", "buying roles need an account: give account_id or an email on an account's domain", r.id)
        errors.raise_if_any()
        upserts, managers, roles = [], [], []
        for r, email in zip(rows, emails):
            props = r.model_dump(exclude_unset=True, exclude={"id", "account_id", "reports_to", "roles"})
            props["email"] = email
            if (owners.get(email) or {}).get("alias"):
                del props["email"]  # a merged contact's email (issue 15): the survivor keeps its own
            upserts.append({"id": r.id, "props": props, "account_id": account_of[r.id]})
            if "reports_to" in r.model_fields_set:
                managers.append({"id": r.id, "reports_to": r.reports_to})
            for role in r.roles or []:
                account_id = account_of[r.id]
                assert account_id is not None  # refused above: buying roles need an account
                roles.append(
                    {
                        "contact_id": r.id,
                        "account_id": account_id,
                        "group_id": group_id(account_id, role.buying_group),
                        "group_name": role.buying_group or "default",
                        "role": role.role,
                        "source": role.source,
                        "confidence": role.confidence,
                    }
                )
        before = self.repo.contact_accounts([r.id for r in rows])
        result = self.repo.upsert_contacts(upserts, managers, roles, now, existing=list(before))
        unmatched = [r.id for r in rows if not account_of[r.id]]
        # Only an updated contact (title, roles, employer: its former account too) can change an
        # account's qualification: a new one has no activities, so it can neither engage nor cover.
        before_and_after = {account_of[r.id] for r in rows if r.id in before} | set(before.values())
        touched = sorted(a for a in before_and_after if a)
        erased = self.repo.erased_emails(emails)
        return m.ContactUpsertResult(created=result["created"], updated=result["updated"], unmatched=unmatched,
                                     accounts_touched=touched,
                                     previously_erased=[r.id for r, e in zip(rows, emails) if e in erased])

    # -- leads ------------------------------------------------------------------------------------
    def leads(self, rows: Sequence[m.LeadIn], now: float) -> m.LeadResult:
        errors = RowErrors("lead")
        _duplicates(errors, [r.id for r in rows])
        for i, r in enumerate(rows):
            if epoch(r.created_at) > now + FUTURE_SKEW_S:
                errors.add(i, "created_at", "is in the future", r.id)
        errors.raise_if_any()
        emails = [r.email.lower() for r in rows]
        contacts = self.repo.contacts_by_emails(emails)
        domains = {email_domain(e) for e in emails if e not in contacts}
        matched = match_domains(domains, self.repo.accounts_by_domains, self.rules.never_match)
        results, leads, new_contacts = [], [], []
        created_for: dict[str, str] = {}  # email -> contact id created by this batch
        for r, email in zip(rows, emails):
            contact = contacts.get(email)
            if contact:
                res = m.LeadMatch(id=r.id, status="matched", account_id=contact["account_id"],
                                  contact_id=contact["id"], reason=f"email matches contact {contact['id']}")
            else:
                account_id, reason = matched[email_domain(email)]
                if account_id is None:
                    res = m.LeadMatch(id=r.id, status="unmatched", reason=reason)
                elif email in created_for:
                    res = m.LeadMatch(id=r.id, status="matched", account_id=account_id,
                                      contact_id=created_for[email], reason=reason)
                else:
                    cid = f"lead:{r.id}"
                    created_for[email] = cid
                    contact_props = {"email": email, "title": r.title, "source": "lead"}
                    new_contacts.append({"id": cid, "account_id": account_id,
                                         "props": {k: v for k, v in contact_props.items() if v is not None}})
                    res = m.LeadMatch(id=r.id, status="matched", account_id=account_id, contact_id=cid,
                                      contact_created=True, reason=f"{reason}; new contact {cid}")
            results.append(res)
            props = r.model_dump(exclude_unset=True, exclude={"id", "created_at"})
            props.update(email=email, created_at=epoch(r.created_at), match_status=res.status, match_reason=res.reason)
            leads.append({"id": r.id, "props": props, "contact_id": res.contact_id})
        self.repo.upsert_leads(leads, new_contacts, now)
        n = sum(1 for x in results if x.status == "matched")
        erased = self.repo.erased_emails(emails)
        return m.LeadResult(matched=n, unmatched=len(results) - n, leads=results,
                            previously_erased=[r.id for r, e in zip(rows, emails) if e in erased])

    # -- activities -------------------------------------------------------------------------------
    def activities(self, rows: Sequence[m.ActivityIn], now: float) -> m.ActivityResult:
        rows = self._follow_aliases(rows, "contact", ("contact_id",))
        errors = RowErrors("activity")
        _duplicates(errors, [r.id for r in rows])
        _, known = self.repo.existing_ids(contacts=[r.contact_id for r in rows if r.contact_id])
        by_email = self.repo.contacts_by_emails([r.email.lower() for r in rows if r.email and not r.contact_id])
        resolved: list[dict[str, Any]] = []
        for i, r in enumerate(rows):
            if r.type not in self.rules.activity_types:
                errors.add(i, "type", f"unknown activity type {r.type!r}; expected one of {sorted(self.rules.activity_types)}", r.id)
            at = epoch(r.at)
            if at > now + FUTURE_SKEW_S:
                errors.add(i, "at", "is in the future", r.id)
            if r.contact_id:
                contact_id = r.contact_id if r.contact_id in known else None
                if contact_id is None:
                    errors.add(i, "contact_id", f"unknown contact {r.contact_id!r}", r.id)
            else:
                hit = by_email.get(r.email.lower()) if r.email else None  # the model requires one of the two
                contact_id = hit["id"] if hit else None
                if contact_id is None:
                    errors.add(i, "email", f"no contact has the email {r.email}", r.id)
            resolved.append({"id": r.id, "contact_id": contact_id, "type": r.type, "at": at,
                             "channel": r.channel, "asset": r.asset, "campaign": r.campaign})
        errors.raise_if_any()
        out = self.repo.create_activities(resolved, batch=uuid.uuid4().hex, now=now)
        return m.ActivityResult(new=out["new"], duplicate=out["duplicate"], accounts_touched=out["accounts"])

    def change_roles(self, contact_id: str, body: m.RolesIn, now: float) -> str | None:
        """Sales confirms (source sales, confidence 1) and removes buying roles of one contact, in one
        transaction; the contact's account (the caller requalifies it), or None."""
        row = self.store.contact(contact_id)
        if row is None:
            raise NotFound(f"no contact with id {contact_id!r}")
        account_id = row.get("account_id")
        problems = [{"field": f"{kind}[{i}].role", "message": f"unknown role {r.role!r}"}
                    for kind in ("confirm", "remove") for i, r in enumerate(getattr(body, kind))
                    if r.role not in self.rules.roles]
        if not account_id and body.confirm:
            problems.append({"field": "confirm", "message": "the contact has no account, so it has no buying center"})
        if problems:
            raise InvalidInput("invalid role change; nothing was written", details=problems)
        self.repo.change_roles(
            remove=[{"contact_id": contact_id, "role": r.role,
                     "group_id": group_id(account_id, r.buying_group) if r.buying_group and account_id else None}
                    for r in body.remove],
            confirm=[{"contact_id": contact_id, "account_id": account_id, "group_id": group_id(account_id, r.buying_group),
                      "group_name": r.buying_group or "default", "role": r.role, "source": "sales", "confidence": 1.0}
                     for r in body.confirm] if account_id else [],  # confirming without an account was refused above
            now=now,
            actor=body.actor,
        )
        return account_id


def _loop(start: str, parent_of: dict[str, str | None]) -> list[str] | None:
    """The chain start -> parent -> ... -> start when following parents comes back to `start`;
    None when it ends (or enters a loop that does not pass through `start`)."""
    chain, seen, node = [start], {start}, parent_of.get(start)
    while node is not None:
        chain.append(node)
        if node == start:
            return chain
        if node in seen:
            return None
        seen.add(node)
        node = parent_of.get(node)
    return None
