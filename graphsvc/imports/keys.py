"""What an import must remember between its rows, kept on disk so memory stays flat in the files' size.

A 250,000-row export has 250,000 ids and e-mail addresses to check duplicates and references
against, refused rows to skip in the second pass, and parent / manager lines to write last. In
Python dicts that grows by ~300 bytes a row; here it is a temporary SQLite file (the standard
library's), deleted when the import ends. SQLite keeps a small page cache and spills the rest, and a
keyed lookup costs microseconds next to the milliseconds a batch takes in the graph.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE ids (kind TEXT, id TEXT, plan INTEGER, line INTEGER, PRIMARY KEY (kind, id)) WITHOUT ROWID;
CREATE TABLE emails (email TEXT PRIMARY KEY, id TEXT) WITHOUT ROWID;
CREATE TABLE bad (plan INTEGER, line INTEGER, problems TEXT, PRIMARY KEY (plan, line)) WITHOUT ROWID;
CREATE TABLE merged (id TEXT PRIMARY KEY, into_id TEXT) WITHOUT ROWID;
CREATE TABLE merged_rows (plan INTEGER, line INTEGER, PRIMARY KEY (plan, line)) WITHOUT ROWID;
CREATE TABLE links (kind TEXT, seq INTEGER, row TEXT, PRIMARY KEY (kind, seq)) WITHOUT ROWID;
"""


class Keys:
    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="graphsvc-import-")
        self.db = sqlite3.connect(Path(self._dir.name) / "keys.sqlite", check_same_thread=False)
        # A scratch file: nothing to recover after a crash, so no journal and no fsync.
        self.db.execute("PRAGMA journal_mode = OFF")
        self.db.execute("PRAGMA synchronous = OFF")
        self.db.executescript(_SCHEMA)
        self._seq = 0

    def close(self) -> None:
        self.db.close()
        self._dir.cleanup()

    def _one(self, sql: str, *args: Any) -> Any:
        row = self.db.execute(sql, args).fetchone()
        return row[0] if row is not None and len(row) == 1 else row

    # -- ids of the import's valid rows, per kind, with where they were seen ------------------------
    def where(self, kind: str, row_id: str) -> tuple[int, int] | None:
        row = self.db.execute("SELECT plan, line FROM ids WHERE kind = ? AND id = ?", (kind, row_id)).fetchone()
        return (int(row[0]), int(row[1])) if row is not None else None

    def has(self, kind: str, row_id: str) -> bool:
        return self._one("SELECT 1 FROM ids WHERE kind = ? AND id = ?", kind, row_id) is not None

    def add(self, kind: str, row_id: str, plan: int, line: int) -> None:
        self.db.execute("INSERT OR REPLACE INTO ids VALUES (?, ?, ?, ?)", (kind, row_id, plan, line))

    def remove(self, kind: str, row_id: str) -> None:
        self.db.execute("DELETE FROM ids WHERE kind = ? AND id = ?", (kind, row_id))

    # -- e-mail addresses of contacts: the first contact to use one ---------------------------------
    def first_email(self, email: str, row_id: str) -> str:
        """The id of the first contact with `email` (this one if it is the first)."""
        self.db.execute("INSERT OR IGNORE INTO emails VALUES (?, ?)", (email, row_id))
        return str(self._one("SELECT id FROM emails WHERE email = ?", email))

    def known_emails(self, emails: Iterable[str]) -> set[str]:
        wanted = list(dict.fromkeys(emails))
        out: set[str] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            marks = ",".join("?" * len(chunk))
            out.update(r[0] for r in self.db.execute(f"SELECT email FROM emails WHERE email IN ({marks})", chunk))
        return out

    # -- refused rows ----------------------------------------------------------------------------
    def refuse(self, plan: int, line: int, problems: list[str]) -> bool:
        """Record problems of a row; True when the row was not refused before."""
        old = self.problems(plan, line)
        self.db.execute("INSERT OR REPLACE INTO bad VALUES (?, ?, ?)",
                        (plan, line, json.dumps((old or []) + problems)))
        return old is None

    def problems(self, plan: int, line: int) -> list[str] | None:
        text = self._one("SELECT problems FROM bad WHERE plan = ? AND line = ?", plan, line)
        return json.loads(text) if text is not None else None

    # -- contacts merged into another with the same e-mail address ------------------------------
    def merge(self, row_id: str, into: str, plan: int, line: int) -> None:
        self.db.execute("INSERT OR REPLACE INTO merged VALUES (?, ?)", (row_id, into))
        self.db.execute("INSERT OR IGNORE INTO merged_rows VALUES (?, ?)", (plan, line))

    def merged_into(self, row_id: str) -> str:
        """The contact `row_id` was merged into (itself when it was not merged)."""
        return str(self._one("SELECT into_id FROM merged WHERE id = ?", row_id) or row_id)

    def is_merged_row(self, plan: int, line: int) -> bool:
        return self._one("SELECT 1 FROM merged_rows WHERE plan = ? AND line = ?", plan, line) is not None

    # -- parent and manager lines, written after every row --------------------------------------
    def add_link(self, kind: str, record: dict[str, Any], plan: int, line: int) -> None:
        self._seq += 1
        self.db.execute("INSERT INTO links VALUES (?, ?, ?)", (kind, self._seq, json.dumps([record, plan, line])))

    def links(self, kind: str) -> Iterator[tuple[dict[str, Any], int, int]]:
        """The links of `kind` in the order they were added, read a page at a time."""
        after = 0
        while True:
            page = self.db.execute("SELECT seq, row FROM links WHERE kind = ? AND seq > ? ORDER BY seq LIMIT 1000",
                                   (kind, after)).fetchall()
            if not page:
                return
            for seq, text in page:
                record, plan, line = json.loads(text)
                yield record, plan, line
                after = seq
