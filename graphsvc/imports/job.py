"""An import: recognise the files, check every row (one pass, every problem), then write in batches.

1. **Recognise** each file by its header (or the mapping file). A file that cannot be read or
   recognised is reported and none of its rows is used.
2. **Check** (pass 1, streaming): every row is converted and validated by the ingest model; ids
   duplicated across the import, references (parent account, contact's account, manager) to rows
   that exist neither in the import nor in the graph, are problems of the referring row. Only ids,
   e-mail addresses and domains are kept, never rows, so memory stays flat in the file's size.
   Two contacts with one e-mail address (two sources, or a re-keyed CRM) are merged into the
   first one, with a note; they are never refused.
3. **Write** (pass 2, streaming, `graphsvc.imports.writer`): accounts, then contacts, then leads,
   in batches through the ingest service (the API's own checks and statements: one transaction per
   batch, idempotent by id, so re-importing a file changes nothing). Parent and manager links go
   last, so rows may come in any order. Without `--skip-invalid` nothing is written while any row
   has a problem; with it the good rows are written and the others reported (and, given a
   directory, written to `<file>.rejected.csv` to fix and import again). `--dry-run` counts what
   would be created, updated, matched and refused, and writes nothing.
4. **Qualify** the accounts the import touched at once, so the board shows their fit, missing
   roles and stage right away (as readiness does).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from graphsvc.imports import owners
from graphsvc.imports.mapping import MappingError
from graphsvc.imports.owners import person
from graphsvc.imports.plan import Checked, Converter, ImportOptions, Plan, Progress, converter
from graphsvc.imports.readers import UnreadableFile, open_table
from graphsvc.imports.recognise import KINDS, NotRecognised, recognise
from graphsvc.imports.report import FileReport, ImportReport, RejectedRows
from graphsvc.imports.writer import Writer
from graphsvc.ingest.repository import IngestRepository
from graphsvc.rules import Ruleset
from graphsvc.store.graph_store import GraphStore

__all__ = ["ImportOptions", "Importer"]
LOOKUP_CHUNK = 5_000


class Importer:
    def __init__(self, store: GraphStore, ruleset: Ruleset, now: float, options: ImportOptions,
                 progress: Progress | None = None, waiting: Callable[[str | None], None] | None = None) -> None:
        self.store, self.ruleset, self.now, self.options = store, ruleset, now, options
        self.progress = progress or (lambda phase, done: None)
        self.waiting = waiting  # told why a write waits for the engine (graphsvc.store.resend), then None
        self.report = ImportReport(dry_run=options.dry_run, skip_invalid=options.skip_invalid)
        self.types = frozenset(ruleset.activities.points)  # activity types the ingest service takes
        self._owner_index: tuple[int, dict[str, dict[str, str]]] | None = None

    # -- 1. recognise ------------------------------------------------------------------------------
    def plans(self, files: Sequence[tuple[Path, str]]) -> list[Plan]:
        """Plans in writing order (accounts of every file, then contacts, then leads)."""
        plans: list[Plan] = []
        for path, name in files:
            file = FileReport(file=name)
            self.report.files.append(file)
            try:
                table = open_table(path, name)
                table.close()  # the header is all this step needs; both passes read the rows afresh
                file.format, file.encoding, file.delimiter = table.format, table.encoding, table.delimiter
                found = self.options.mapping.for_file(name, table.header) if self.options.mapping else None
                if found is None and self.options.source != "csv":
                    found = recognise(table.header, name, self.options.source)
                elif found is None:
                    raise NotRecognised("--source csv needs a mapping file (--mapping) with a table for this file")
            except (OSError, UnreadableFile, NotRecognised, MappingError) as exc:
                file.error = str(exc)
                self.report.problem(name, None, None, None, field=None, column=None, message=file.error)
                continue
            file.source, file.kinds, file.ignored_columns = found.source, [p.kind for p in found.parts], found.ignored
            for part in found.parts:
                plans.append(Plan(len(plans), path, name, table.header, found.source, part))
        return sorted(plans, key=lambda p: (KINDS.index(p.part.kind), p.index))

    def converter(self, plan: Plan) -> Converter:
        return converter(plan, self.options.tz, self.now, self.ruleset)

    # -- 2. check ----------------------------------------------------------------------------------
    def check(self, plans: list[Plan], seen: Checked) -> Checked:
        pending: list[tuple[Plan, int, str, str, str, str]] = []  # plan, line, row id, field, kind, ref
        for plan in plans:
            kind, convert = plan.part.kind, self.converter(plan)
            if convert.defaults:
                self.report.note(plan.name, None, kind, None, field="created_at", column=None,
                                 message="the file has no creation time: leads take the import's time")
            file, done = next(f for f in self.report.files if f.file == plan.name), 0
            try:
                done = self._check_rows(plan, plans, seen, pending, convert, file)
            except UnreadableFile as exc:  # a bad byte or quote deep in the file: the whole file is out
                plan.failed, file.error = True, str(exc)
                self.report.problem(plan.name, None, kind, None, field=None, column=None, message=str(exc))
            self.progress(f"check {plan.name}", done)
        self._resolve(seen, pending)
        self._shared_domains(seen)
        for kind in KINDS:
            c = self.report.counts.get(kind)
            if c:
                c.valid = c.read - c.refused
        return seen

    def _check_rows(self, plan: Plan, plans: list[Plan], seen: Checked, pending: list[tuple[Plan, int, str, str, str, str]],
                    convert: Converter, file: FileReport) -> int:
        kind, counts, keys, done = plan.part.kind, self.report.kind(plan.part.kind), seen.keys, 0
        for line, cells in plan.table().rows():
            if plan.part.absent(cells):
                continue
            done += 1
            file.rows = max(file.rows, done)
            if done % 1_000 == 0:
                self.progress(f"check {plan.name}", done)
            out = convert.convert(cells)
            row_id = out.record["id"] if out.record else _cell(cells, plan.part.columns.get("id"))
            if plan.part.repeated and row_id and (keys.where(kind, row_id) or (-1,))[0] == plan.index:
                continue  # a report repeats its account on every contact row: one account
            counts.read += 1
            for n in out.notes:
                self.report.note(plan.name, line, kind, row_id, **n)
            if out.record is None:
                self._refuse(seen, plan, line, row_id, out.problems)
                self._references(seen, pending, plan, line, row_id, out.partial)
                continue
            other = keys.where(kind, out.record["id"]) if kind not in _BY_CONTACT else None
            if other is not None:
                where = f"line {other[1]}" + ("" if other[0] == plan.index else f" of {plans[other[0]].name}")
                self._refuse(seen, plan, line, row_id, [{"field": "id", "column": convert.column_of.get("id"),
                                                         "message": f"duplicate id {row_id!r} (also {where})"}])
                continue
            record = out.record
            row_id = record["id"]
            unknown = sorted({a["type"] for a in record.get("activities", ()) if a["type"] not in self.types})
            if kind == "activities" and unknown:
                column = convert.column_of.get("subtype" if "subtype" in convert.column_of else "id")
                self._refuse(seen, plan, line, row_id, [{"field": "type", "column": column, "message":
                    f"activity type(s) {', '.join(unknown)} not in the active ruleset: add them to its "
                    "[activities.points] (PUT /v1/rules) to import these"}])
                continue
            if kind not in _BY_CONTACT:  # an activities / roles row is keyed by its contact's id (the contacts part's)
                keys.add(kind, row_id, plan.index, line)
            if kind == "users":
                seen.users[row_id] = person(record)
            if kind == "accounts" and record.get("owner") and seen.users:
                if owners.resolve(self._owners(seen), record["owner"]) is None:
                    self.report.note(plan.name, line, kind, row_id, field="owner", column=convert.column_of.get("owner"),
                                     message=f"owner {record['owner']!r} is not in the users export: kept as it is")
            if kind == "accounts" and record.get("domain"):
                domain, first = record["domain"], seen.domains.setdefault(record["domain"], row_id)
                if first != row_id:
                    seen.shared.setdefault(domain, [first]).append(row_id)
                    seen.domains[domain] = min(first, row_id)
            if kind == "contacts":
                email = record["email"].lower()
                first = keys.first_email(email, row_id)
                if first != row_id:
                    keys.merge(row_id, first, plan.index, line)
                    counts.merged += 1
                    self.report.note(plan.name, line, kind, row_id, field="email", column=convert.column_of["email"],
                                     message=f"same e-mail address as contact {first!r}: merged into it")
            self._references(seen, pending, plan, line, row_id, record)
        return done

    def _owners(self, seen: Checked) -> dict[str, dict[str, str]]:
        if self._owner_index is None or self._owner_index[0] != len(seen.users):
            self._owner_index = (len(seen.users), owners.index(seen.users))
        return self._owner_index[1]

    def _shared_domains(self, seen: Checked) -> None:
        """Several accounts on one domain (three United Oil & Gas companies on uos.com): say which one
        e-mail matching will pick, and why, rather than pick silently."""
        if not seen.shared:
            return
        graph: dict[str, set[str]] = {}
        for r in self.store.read("read/accounts_by_domains", domains=sorted(seen.shared)):
            graph.setdefault(r["domain"], set()).add(r["id"])
        for domain, ids in sorted(seen.shared.items()):
            every = sorted(set(ids) | graph.get(domain, set()))
            chosen = every[0]
            self.report.note(None, None, "accounts", chosen, field="domain", column=None, domain=domain,
                             accounts=every, chosen=chosen,
                             message=f"{len(every)} accounts share the domain {domain} ({', '.join(every)}): contacts "
                                     f"and leads matched by e-mail domain go to {chosen!r}, the first id in text order (matching's "
                                     "rule); give a contact its account (an account id column) to place it elsewhere")

    @staticmethod
    def _references(seen: Checked, pending: list[tuple[Plan, int, str, str, str, str]], plan: Plan, line: int,
                    row_id: str | None, record: dict[str, Any]) -> None:
        """Note the row's references to rows the import has not seen (yet): resolved at the end."""
        for name, ref_kind in _REFERENCES[plan.part.kind]:
            ref = record.get(name)
            if ref is not None and not seen.keys.has(ref_kind, ref):
                pending.append((plan, line, row_id or "", name, ref_kind, ref))

    def _resolve(self, seen: Checked, pending: list[tuple[Plan, int, str, str, str, str]]) -> None:
        """References to ids neither the import (valid rows) nor the graph has: problems of the rows."""
        unknown: dict[str, set[str]] = {"accounts": set(), "contacts": set()}
        for _, _, _, _, kind, ref in pending:
            if not seen.keys.has(kind, ref):
                unknown[kind].add(ref)
        for kind, refs in unknown.items():
            ordered = sorted(refs)
            for start in range(0, len(ordered), LOOKUP_CHUNK):
                chunk = ordered[start:start + LOOKUP_CHUNK]
                accounts, contacts = IngestRepository(self.store).existing_ids(**{kind: chunk})
                refs.difference_update(accounts if kind == "accounts" else contacts)
        for plan, line, row_id, name, kind, ref in pending:
            if ref in unknown[kind]:
                what = "account" if kind == "accounts" else "contact"
                columns = self.converter(plan).column_of
                if plan.part.kind in _BY_CONTACT and "contact_id" in columns:
                    name = "contact_id"  # a Task's (role's) record is keyed by its contact (WhoId), not its own Id
                self._refuse(seen, plan, line, row_id, [{
                    "field": name, "column": columns.get(name),
                    "message": f"unknown {what} {ref!r}: not in this import (or refused) nor in the graph"}])
                if seen.keys.where(plan.part.kind, row_id) == (plan.index, line):
                    seen.keys.remove(plan.part.kind, row_id)

    def _refuse(self, seen: Checked, plan: Plan, line: int, row_id: str | None, problems: list[dict[str, Any]]) -> None:
        if seen.keys.refuse(plan.index, line, [f"{p.get('column') or p['field']}: {p['message']}" for p in problems]):
            self.report.kind(plan.part.kind).refused += 1
        for p in problems:
            self.report.problem(plan.name, line, plan.part.kind, row_id, **p)

    # -- all of it -----------------------------------------------------------------------------------
    def run(self, files: Sequence[tuple[Path, str]]) -> ImportReport:
        report, opts = self.report, self.options
        plans = self.plans(files)
        seen = Checked()
        try:
            self.check(plans, seen)
            blocked = report.problem_count > 0 and not opts.skip_invalid
            rejected = RejectedRows(opts.rejected_dir) if opts.rejected_dir else None
            writer = Writer(self.store, self.ruleset, self.now, opts, report, self.progress, seen, rejected,
                            write=not (opts.dry_run or blocked), waiting=self.waiting)
            try:
                writer.run(plans)
                if writer.wins:
                    writer.won_accounts()
            finally:
                if rejected:
                    rejected.close()
        finally:
            seen.keys.close()
        if blocked:
            report.message = (f"{report.problem_count} problem(s) in {report.refused} row(s): nothing was written. "
                              "Fix them, or import the good rows with --skip-invalid.")
        elif opts.dry_run:
            report.message = "dry run: nothing was written"
        else:
            report.written = True
            writer.qualify()
        return report


# Which fields of a kind refer to rows of which kind.
_REFERENCES: dict[str, tuple[tuple[str, str], ...]] = {
    "users": (),
    "accounts": (("parent_id", "accounts"),),
    "contacts": (("account_id", "accounts"), ("reports_to", "contacts")),
    "leads": (),
    "opportunities": (("account_id", "accounts"), ("contact_id", "contacts")),
    "activities": (("id", "contacts"),),  # HubSpot engagement columns: the row's contact
    "roles": (("id", "contacts"),),  # OpportunityContactRole: the row's contact
}
_BY_CONTACT = ("activities", "roles")  # kinds whose rows are keyed by their contact, many rows a contact


def _cell(cells: list[str], col: int | None) -> str | None:
    if col is None or col >= len(cells):
        return None
    return cells[col].strip() or None
