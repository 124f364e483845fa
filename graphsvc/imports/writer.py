"""Pass 2 of an import: the checked rows, in batches, through the ingest service (or, in a dry run,
counted against the graph without writing). See `graphsvc.imports.job` for the whole flow."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import datetime
from functools import partial
from typing import Any, TypeVar, cast

from graphsvc.errors import InvalidInput
from graphsvc.imports import opportunities, owners
from graphsvc.imports import roles as import_roles
from graphsvc.imports.convert import MODELS
from graphsvc.imports.plan import Checked, ImportOptions, Plan, Progress, converter
from graphsvc.imports.recognise import KINDS
from graphsvc.imports.report import ImportReport, RejectedRows
from graphsvc.ingest import models as m
from graphsvc.ingest.domains import match_domains
from graphsvc.ingest.repository import IngestRepository
from graphsvc.ingest.service import IngestService, ingest_rules_from
from graphsvc.qualification.service import PAGE as QUALIFY_PAGE
from graphsvc.qualification.service import QualificationService
from graphsvc.rules import Ruleset, email_domain, normalize_key
from graphsvc.store.graph_store import GraphStore
from graphsvc.store.resend import resend

log = logging.getLogger(__name__)
T = TypeVar("T")
Row = tuple[dict[str, Any], Plan, int]  # record, its plan, its line


class Writer:
    def __init__(self, store: GraphStore, ruleset: Ruleset, now: float, options: ImportOptions, report: ImportReport,
                 progress: Progress, seen: Checked, rejected: RejectedRows | None, *, write: bool,
                 waiting: Callable[[str | None], None] | None = None) -> None:
        self.store, self.ruleset, self.now, self.options = store, ruleset, now, options
        self.waiting = waiting or (lambda note: None)  # why the import is not moving; None: it moves again
        self.seen, self.rejected, self.write, self.report, self.progress = seen, rejected, write, report, progress
        self.ingest = IngestService(store, ingest_rules_from(ruleset))
        self.rules = self.ingest.rules
        self.touched: set[str] = set()  # accounts to qualify once everything is written
        self.done: dict[str, int] = {}
        self.wins: dict[str, tuple[float, str]] = {}  # account -> its first won deal (close date, label)
        self._owner_index: dict[str, dict[str, str]] | None = None

    def run(self, plans: list[Plan]) -> None:
        by_index = {p.index: p for p in plans}
        if self.write:  # into an empty graph: engagement kept from the first activity (no replay later)
            self._resend(self.ingest.engagement_from_start, "the engagement index")
        for kind in KINDS:
            batch: list[Row] = []
            for plan in (p for p in plans if p.part.kind == kind and not p.failed):
                for row in self._rows(plan):
                    batch.append(row)
                    if len(batch) >= self.options.batch_size:
                        self._flush(kind, batch)
                        batch = []
            self._flush(kind, batch)
            batch = []
            for record, index, line in self.seen.keys.links(kind):  # parents / managers, after every row
                batch.append((record, by_index[index], line))
                if len(batch) >= self.options.batch_size:
                    self._flush(kind, batch, links=True)
                    batch = []
            self._flush(kind, batch, links=True)

    def _rows(self, plan: Plan) -> Iterator[Row]:
        convert, seen, kind = converter(plan, self.options.tz, self.now, self.ruleset), self.seen, plan.part.kind
        written: set[str] = set()
        for line, cells in plan.table().rows():
            if plan.part.absent(cells):
                continue
            problems = seen.keys.problems(plan.index, line)
            if problems is not None:
                if self.rejected:
                    self.rejected.add(plan.name, plan.header, cells, problems)
                continue
            record = convert.convert(cells).record
            if record is None:  # cannot happen: pass 1 saw the same row; never write what was not checked
                continue
            if plan.part.repeated:
                if record["id"] in written:
                    continue
                written.add(record["id"])
            if kind == "contacts":
                if seen.keys.is_merged_row(plan.index, line):
                    record["id"] = seen.keys.merged_into(record["id"])
                    record["merged"] = True  # counted as merged, not as created or updated
                if record.get("reports_to"):
                    record["reports_to"] = seen.keys.merged_into(record["reports_to"])
                    seen.keys.add_link("contacts", {k: record[k] for k in ("id", "email", "account_id", "reports_to")
                                                    if k in record}, plan.index, line)
                    record.pop("reports_to")
            if kind in ("activities", "roles"):  # a contact merged into another: its activities go there too
                into = seen.keys.merged_into(record["id"])
                if into != record["id"]:
                    record["id"] = into
                    for a in record.get("activities", ()):
                        a["contact_id"] = into
            if kind == "accounts":
                self._account_state(record, plan, line)
            if kind == "accounts" and record.get("parent_id"):
                seen.keys.add_link("accounts", {"id": record["id"], "name": record["name"],
                                                "parent_id": record.pop("parent_id")}, plan.index, line)
            yield record, plan, line

    def _account_state(self, record: dict[str, Any], plan: Plan, line: int) -> None:
        """The owner as a person (given a users export); HubSpot's lifecycle stage customer makes the
        account a customer like a won deal, dated by its Became a Customer Date."""
        if self.seen.users and record.get("owner"):
            if self._owner_index is None:
                self._owner_index = owners.index(self.seen.users)
            who = owners.resolve(self._owner_index, record["owner"])
            if who:
                record["owner"] = who.get("email") or who.get("name") or record["owner"]
                if who.get("name"):
                    record["owner_name"] = who["name"]
        since = record.pop("customer_since", None)
        if normalize_key(record.get("lifecycle_stage")) == "customer":
            at = datetime.fromisoformat(since).timestamp() if since else self.now
            if since is None:
                self.report.note(plan.name, line, "accounts", record["id"], field="customer_since", column=None,
                                 message="a customer without a Became a Customer Date: its move to won is "
                                         "dated with the import's time")
            if record["id"] not in self.wins or at < self.wins[record["id"]][0]:
                self.wins[record["id"]] = (at, f"lifecycle stage {record['lifecycle_stage']}")

    def _resend(self, send: Callable[[], T], what: str) -> T:
        """`send()`, sent again while the engine cannot take it, for up to the options' retry_for_s
        (graphsvc.store.resend): each caller's unit is safe to run twice (an ingest batch is
        idempotent by id; a roles batch reads what is held before it writes). A unit the engine
        stored but whose answer was lost counts as updated, or as a role already held, on its second
        try. A dry run, which writes nothing and is free to run again, sends nothing twice."""
        if not self.write:
            return send()
        waited: list[str] = []

        def note(message: str) -> None:
            waited.append(message)
            self.waiting(message)

        result = resend(send, self.options.retry_for_s, what, log, on_retry=note)
        if waited:
            self.waiting(None)
        return result

    def _what(self, kind: str) -> str:
        return f"import: {kind} batch after row {self.done.get(kind, 0):,}"

    # -- one batch ---------------------------------------------------------------------------------
    def _flush(self, kind: str, rows: list[Row], links: bool = False) -> None:
        """Write (or preview) one batch. `links`: parent / manager lines of rows already written.
        Contacts merged into another one (same e-mail address) go in their own chunks, never two
        rows of one id in a chunk, and count as merged, not as created or updated."""
        if not rows or kind == "users":  # users resolve owners; they are not written themselves
            return
        groups: list[tuple[list[Row], bool]] = [(rows, False)]
        if kind == "contacts" and not links:
            rows = self._merge_existing(rows)
            flags = [bool(r.pop("merged", False)) for r, _, _ in rows]
            merged = [row for row, flag in zip(rows, flags) if flag]
            normal = [row for row, flag in zip(rows, flags) if not flag]
            groups = [(normal, False), *[(chunk, True) for chunk in _unique_chunks(merged, len(merged))]]
        for group, is_merged in groups:
            if not group:
                continue
            if not self.write:
                self._preview(kind, group, links or is_merged)
            else:
                self._write(kind, group, links, is_merged)
        self.done[kind] = self.done.get(kind, 0) + len(rows)
        self.progress(f"{'write' if self.write else 'preview'} {kind}", self.done[kind])

    def _write(self, kind: str, rows: list[Row], links: bool, merged: bool) -> None:
        if kind == "activities":
            self._write_activities(rows)
            return
        if kind == "roles":
            self._write_roles(rows)
            return
        # Buying roles go through the role-change path (with their outbox events), after the contacts.
        wanted: list[Row] = [({"id": r["id"], "roles": [x["role"] for x in roles]}, plan, line) for r, plan, line in rows
                             if (roles := r.pop("roles", None))] if kind == "contacts" else []
        model = MODELS[kind]
        for attempt in range(2):
            parsed = [model.model_validate(r) for r, _, _ in rows]
            try:
                if kind == "opportunities":  # not an ingest API kind: the import's own statement
                    deals = cast(list[opportunities.OpportunityIn], parsed)
                    result: Any = self._resend(partial(opportunities.write, self.store, deals, self.now),
                                               self._what(kind))
                    opportunities.first_wins(deals, self.wins, self.now)
                else:
                    result = self._resend(partial(getattr(self.ingest, kind), parsed, self.now), self._what(kind))
                break
            except InvalidInput as exc:
                # The graph changed since the check, or a row conflicts with one written by this import.
                if not self.options.skip_invalid or attempt or not isinstance(exc.details, list):
                    raise
                bad = {d["row"] for d in exc.details if isinstance(d, dict) and isinstance(d.get("row"), int)}
                for d in exc.details:
                    record, plan, line = rows[d["row"]]
                    self.report.problem(plan.name, line, kind, record.get("id"), field=d.get("field"),
                                        column=d.get("field"), message=d.get("message"))
                self.report.kind(kind).refused += len(bad)
                rows = [r for i, r in enumerate(rows) if i not in bad]
                if not rows:
                    return
        counts = self.report.kind(kind)
        if links:
            counts.hierarchy_links += len(rows) if kind == "accounts" else 0
        elif kind == "leads":
            counts.matched += result.matched  # lead upserts do not tell new from updated: not counted
        elif not merged:
            counts.created += result.created
            counts.updated += result.updated
        if kind == "opportunities":
            counts.won += sum(1 for p in parsed if getattr(p, "is_won", False))
            self.touched.update(r["account_id"] for r, _, _ in rows)
        if kind == "accounts":
            self.touched.update(r["id"] for r, _, _ in rows)
        elif kind == "contacts":
            if not links and not merged:
                counts.unmatched += len(result.unmatched)
            kept = {r["id"] for r, _, _ in rows}  # (rows refused by the ingest service are not)
            self._write_roles([w for w in wanted if w[0]["id"] in kept], "contacts")
            self.touched.update(result.accounts_touched)
            self.touched.update(r["account_id"] for r, _, _ in rows if r.get("account_id"))

    def _write_activities(self, rows: list[Row]) -> None:
        """A batch of contacts' activities (HubSpot engagement columns) through the ingest service."""
        flat = [(a, i) for i, (r, _, _) in enumerate(rows) for a in r["activities"]]
        if not flat:
            return
        parsed = [m.ActivityIn.model_validate(a) for a, _ in flat]
        try:
            result = self._resend(lambda: self.ingest.activities(parsed, self.now), self._what("activities"))
        except InvalidInput as exc:
            if not self.options.skip_invalid or not isinstance(exc.details, list):
                raise
            bad_rows = {flat[d["row"]][1] for d in exc.details if isinstance(d, dict) and isinstance(d.get("row"), int)}
            for d in exc.details:
                record, plan, line = rows[flat[d["row"]][1]]
                self.report.problem(plan.name, line, "activities", record["id"], field=d.get("field"),
                                    column=d.get("field"), message=d.get("message"))
            self.report.kind("activities").refused += len(bad_rows)
            rest = [r for i, r in enumerate(rows) if i not in bad_rows]
            flat = [(a, i) for i, (r, _, _) in enumerate(rest) for a in r["activities"]]
            if not flat:
                return
            kept = [m.ActivityIn.model_validate(a) for a, _ in flat]
            result = self._resend(lambda: self.ingest.activities(kept, self.now), self._what("activities"))
        counts = self.report.kind("activities")
        counts.created += result.new
        counts.updated += result.duplicate
        self.touched.update(result.accounts_touched)

    def _write_roles(self, rows: list[Row], kind: str = "roles") -> None:
        """Buying roles (HubSpot Buying Role, OpportunityContactRole) not held yet, with their events."""
        wanted = [(r["id"], r["roles"]) for r, _, _ in rows]

        def plan_and_write() -> import_roles.RoleChanges:  # the plan again on a second try: nothing twice
            changes = import_roles.plan(self.store, wanted)
            import_roles.write(self.store, changes, self.now)
            return changes

        changes = self._resend(plan_and_write, f"{self._what(kind)}: buying roles")
        where = {r["id"]: (plan, line) for r, plan, line in rows}
        for cid in changes.no_account:
            plan, line = where[cid]
            self.report.note(plan.name, line, kind, cid, field="buying_role" if kind == "contacts" else "contact_id",
                             column=None, message="the contact has no account (so no buying center): its buying "
                                                  "role is not set")
        self.report.kind(kind).roles += len(changes.confirm)
        self.touched.update(changes.accounts)

    def _merge_existing(self, rows: list[Row]) -> list[Row]:
        """Contacts whose e-mail address belongs to another contact already in the graph are written
        onto that contact (merged, with a note), not refused as a conflict."""
        emails = [r["email"].lower() for r, _, _ in rows]
        owners = self._resend(lambda: IngestRepository(self.store).contacts_by_emails(emails),
                              f"{self._what('contacts')}: owners of e-mail addresses")
        out: list[Row] = []
        for record, plan, line in rows:
            owner = owners.get(record["email"].lower())
            if owner and owner["id"] != record["id"]:
                self.report.kind("contacts").merged += 1
                self.report.note(plan.name, line, "contacts", record["id"], field="email", column=None,
                                 message=f"same e-mail address as contact {owner['id']!r} in the graph: merged into it")
                self.seen.keys.merge(record["id"], owner["id"], plan.index, line)  # its activities follow it
                record = {**record, "id": owner["id"], "merged": True}
            out.append((record, plan, line))
        return out

    # -- dry run -----------------------------------------------------------------------------------
    def _preview(self, kind: str, rows: list[Row], links: bool) -> None:
        counts, store = self.report.kind(kind), self.store
        if links:  # (or merged contacts, already counted)
            counts.hierarchy_links += len(rows) if kind == "accounts" and "parent_id" in rows[0][0] else 0
            return
        ids = [r["id"] for r, _, _ in rows]
        if kind in ("accounts", "contacts"):
            accounts, contacts = IngestRepository(store).existing_ids(**{kind: ids})
            existing = accounts if kind == "accounts" else contacts
            counts.updated += sum(1 for i in set(ids) if i in existing)
            counts.created += len(set(ids)) - sum(1 for i in set(ids) if i in existing)
        if kind in ("contacts", "roles"):
            counts.roles += sum(len(r.get("roles") or ()) for r, _, _ in rows)
        if kind == "roles":
            return
        if kind == "contacts":
            domains = {email_domain(r["email"]) for r, _, _ in rows if not r.get("account_id")}
            matched = match_domains(domains, self._domains, self.rules.never_match)
            counts.unmatched += sum(1 for r, _, _ in rows
                                    if not r.get("account_id") and matched[email_domain(r["email"])][0] is None)
        if kind == "activities":
            counts.created += sum(len(r["activities"]) for r, _, _ in rows)  # ids are not looked up: all new
            return
        if kind == "opportunities":
            parsed = [opportunities.OpportunityIn.model_validate(r) for r, _, _ in rows]
            counts.won += sum(1 for p in parsed if p.is_won)
            counts.created += len(rows)  # no lookup of opportunities by id: a dry run counts them as new
            opportunities.first_wins(parsed, self.wins, self.now)
        if kind == "leads":
            emails = [r["email"].lower() for r, _, _ in rows]
            known = IngestRepository(store).contacts_by_emails(emails)
            domains = {email_domain(e) for e in emails}
            matched = match_domains(domains, self._domains, self.rules.never_match)
            in_import = self.seen.keys.known_emails(emails)
            counts.matched += sum(1 for e in emails if e in known or e in in_import
                                  or matched[email_domain(e)][0] is not None)

    def _domains(self, domains: list[str]) -> dict[str, str]:
        """Accounts by domain as they would be after the import: the graph's, then the import's."""
        found = IngestRepository(self.store).accounts_by_domains(domains)
        for d in domains:
            if d in self.seen.domains:  # the lowest id of the graph's and the import's, as matching picks
                found[d] = min(found.get(d, self.seen.domains[d]), self.seen.domains[d])
        return found

    # -- qualify -----------------------------------------------------------------------------------
    def won_accounts(self) -> None:
        """Accounts with a won deal move to stage won (dated by the CRM); a dry run counts them."""
        counts = self.report.kind("opportunities")
        if not self.write:
            stages = {a: (self.store.account(a) or {}).get("account", {}).get("stage") for a in self.wins}
            counts.accounts_won += sum(1 for a in self.wins if stages[a] != "won")
            return
        won = self._resend(lambda: opportunities.mark_won(self.store, self.wins, self.options.source),
                           "import: accounts with a won deal")
        counts.accounts_won += len(won)

    def qualify(self) -> None:
        """Requalify the accounts the import touched: fit, missing roles and stage right away, a page
        at a time (progress phase `qualify`; a page the engine could not take is sent again alone)."""
        if not self.touched:
            return
        service, touched, changes = QualificationService(self.store, self.ruleset), sorted(self.touched), 0
        for start in range(0, len(touched), QUALIFY_PAGE):
            page = touched[start:start + QUALIFY_PAGE]
            changes += len(self._resend(partial(service.requalify, page, self.now),
                                        f"import: the requalification after account {start:,}"))
            self.progress("qualify", start + len(page))
        self.report.requalified = len(touched)
        self.report.stage_changes = changes


def _unique_chunks(rows: list[Row], size: int) -> Iterator[list[Row]]:
    """Chunks of at most `size` rows with no id twice in one chunk (the ingest service refuses that)."""
    pending = rows
    while pending:
        chunk: list[Row] = []
        later: list[Row] = []
        ids: set[str] = set()
        for row in pending:
            if row[0]["id"] in ids or len(chunk) >= size:
                later.append(row)
            else:
                ids.add(row[0]["id"])
                chunk.append(row)
        yield chunk
        pending = later
