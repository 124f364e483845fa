"""What an import did (or, with --dry-run, would do): counts per kind, and every problem by file,
line and field. Problems refuse a row; notes are said and the row is still imported."""

from __future__ import annotations

import csv
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

# The report keeps this many problems and notes in full; beyond it, it counts them (a 250,000-row
# file that is wrong in every row must not need gigabytes to say so).
MAX_DETAILS = 10_000


@dataclass
class KindCounts:
    read: int = 0  # rows of this kind in the files
    valid: int = 0  # rows without problems
    refused: int = 0  # rows with problems (not written)
    created: int = 0  # accounts, contacts (leads: the upsert does not tell new from updated)
    updated: int = 0
    merged: int = 0  # contacts: rows merged into a contact with the same e-mail address
    unmatched: int = 0  # contacts without an account (no account given, no account on their domain)
    matched: int = 0  # leads matched to a contact
    roles: int = 0  # contacts, roles: buying roles set (source import; a dry run counts those in the rows)
    hierarchy_links: int = 0  # accounts: parent links (SUBSIDIARY_OF)
    won: int = 0  # opportunities: won deals
    accounts_won: int = 0  # opportunities: accounts moved to stage won by their first won deal


@dataclass
class FileReport:
    file: str
    format: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    source: str | None = None
    kinds: list[str] = field(default_factory=list)
    rows: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    error: str | None = None  # the file could not be read or recognised: none of its rows was used


@dataclass
class ImportReport:
    dry_run: bool
    skip_invalid: bool
    written: bool = False
    files: list[FileReport] = field(default_factory=list)
    counts: dict[str, KindCounts] = field(default_factory=dict)
    problems: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)
    problem_count: int = 0
    note_count: int = 0
    requalified: int = 0
    stage_changes: int = 0
    message: str = ""

    def kind(self, kind: str) -> KindCounts:
        return self.counts.setdefault(kind, KindCounts())

    def problem(self, file: str, line: int | None, kind: str | None, row_id: str | None, **what: Any) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_DETAILS:
            self.problems.append({"file": file, "line": line, "kind": kind, "id": row_id, **what})

    def note(self, file: str | None, line: int | None, kind: str | None, row_id: str | None, **what: Any) -> None:
        self.note_count += 1
        if len(self.notes) < MAX_DETAILS:
            self.notes.append({"file": file, "line": line, "kind": kind, "id": row_id, **what})

    @property
    def refused(self) -> int:
        return sum(c.refused for c in self.counts.values())

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["refused"] = self.refused
        return out

    def summary(self) -> str:
        """A few lines for people (the CLI's default output)."""
        verb = "would be" if self.dry_run or not self.written else "were"
        lines = []
        for f in self.files:
            how = f"{f.source}, {', '.join(f.kinds)}, {f.rows:,} rows" if f.source else "not imported"
            lines.append(f"{f.file}: {how}" + (f" -- {f.error}" if f.error else ""))
        for kind, c in self.counts.items():
            extra = {"contacts": f", {c.merged} merged, {c.unmatched} without account, {c.roles} roles",
                     "accounts": f", {c.hierarchy_links} parent links",
                     "opportunities": f", {c.won} won, {c.accounts_won} account(s) moved to won",
                     "leads": f", {c.matched} matched, {c.read - c.refused - c.matched} unmatched"}.get(kind, "")
            done = (f"{c.valid:,} valid" if kind in ("leads", "users") else
                    f"{c.created:,} activities {verb} recorded, {c.updated:,} already were" if kind == "activities"
                    else f"{c.roles:,} buying roles {verb} set" if kind == "roles"
                    else f"{c.created:,} {verb} created, {c.updated:,} {verb} updated")
            if kind == "users":
                extra = " (used to resolve account owners)"
            lines.append(f"{kind}: {c.read:,} rows, {done}, {c.refused:,} refused{extra}")
        lines += [f"note: {n['message']}" for n in self.notes if "chosen" in n]
        for p in self.problems[:50]:
            where = f"{p['file']}:{p['line']}" if p["line"] else p["file"]
            lines.append(f"  {where} {p.get('column') or p.get('field') or ''}: {p['message']}")
        if self.problem_count > 50:
            lines.append(f"  ... and {self.problem_count - 50:,} more problem(s) (--format json lists them)")
        if self.requalified:
            lines.append(f"requalified {self.requalified:,} accounts: {self.stage_changes:,} changed stage")
        if self.message:
            lines.append(self.message)
        return "\n".join(lines)


class RejectedRows:
    """The refused rows of each file, in the file's own columns plus `import_problems`, so a person
    can fix them in a spreadsheet and import the file again (the extra column is ignored then)."""

    COLUMN = "import_problems"

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.paths: dict[str, Path] = {}
        self._open: dict[str, Any] = {}

    def add(self, file: str, header: list[str], cells: list[str], problems: list[str]) -> None:
        if file not in self._open:
            self.directory.mkdir(parents=True, exist_ok=True)
            stem = Path(file).name.rsplit(".", 1)[0]
            path = self.directory / f"{stem}.rejected.csv"
            handle = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115 - closed in close()
            writer = csv.writer(handle)
            writer.writerow([*header, self.COLUMN])
            self._open[file], self.paths[file] = (handle, writer, len(header)), path
        _, writer, width = self._open[file]
        row = (cells + [""] * width)[:width] if len(cells) <= width else cells
        writer.writerow([*row, "; ".join(problems)])

    def close(self) -> None:
        for handle, _, _ in self._open.values():
            handle.close()
        self._open.clear()
