"""The parts of an import that pass 1 (`job`) and pass 2 (`writer`) share: options, plans, what the
check learnt, and the converter of a plan's rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

from graphsvc.imports.aggregates import AggregateConverter
from graphsvc.imports.convert import RowConverter
from graphsvc.imports.engagements import EngagementConverter
from graphsvc.imports.keys import Keys
from graphsvc.imports.mapping import Mapping
from graphsvc.imports.readers import Table, open_table
from graphsvc.imports.recognise import Part
from graphsvc.imports.roles import RoleRowConverter
from graphsvc.imports.sales_activities import TaskConverter
from graphsvc.rules import Ruleset, default_ruleset

Progress = Callable[[str, int], None]  # phase ("check contacts.csv", "write contacts"), rows done


@dataclass
class ImportOptions:
    source: str = "auto"
    mapping: Mapping | None = None
    tz: tzinfo | None = None
    dry_run: bool = False
    skip_invalid: bool = False
    batch_size: int = 2_000
    rejected_dir: Path | None = None
    # How long a batch the engine could not take (down, restarting, BUSY) is sent again before the
    # import gives up (graphsvc.store.resend); 0: never.
    retry_for_s: float = 300.0


@dataclass
class Plan:
    """One kind of record in one file."""

    index: int
    path: Path
    name: str
    header: list[str]
    source: str
    part: Part
    failed: bool = False  # the file could not be read to its end: none of its rows is written

    def table(self) -> Table:
        return open_table(self.path, self.name)


@dataclass
class Checked:
    """What pass 1 learnt, for pass 2: the refused rows, the merges, the import's own keys. Everything
    that grows with the rows is in `keys` (a temporary file); the rest grows with the accounts that
    share a domain."""

    keys: Keys = field(default_factory=Keys)  # ids, e-mail addresses, refused rows, merges, links: on disk
    # account domain -> the account matching picks among the import's (the lowest id, as the store's
    # matching does); `shared` lists every account of the import on domains several accounts have.
    domains: dict[str, str] = field(default_factory=dict)
    shared: dict[str, list[str]] = field(default_factory=dict)
    # a users export's people by id (and name): account owners resolve through it (graphsvc.imports.owners)
    users: dict[str, dict[str, str]] = field(default_factory=dict)


Converter = RowConverter | AggregateConverter | TaskConverter | RoleRowConverter | EngagementConverter


def converter(plan: Plan, tz: tzinfo | None, now: float, ruleset: Ruleset | None = None) -> Converter:
    """The plan's row converter. A lead file without a creation time gives its leads the import's."""
    if plan.part.reader == "aggregates":
        return AggregateConverter(plan.part, plan.header, tz, now)
    if plan.part.reader == "tasks":
        return TaskConverter(plan.part, plan.header, tz, now)
    if plan.part.reader == "engagements":
        return EngagementConverter(plan.part, plan.header, plan.name, tz, now)
    if plan.part.reader == "roles":
        return RoleRowConverter(plan.part, plan.header, ruleset or default_ruleset())
    defaults: dict[str, Any] = {}
    if plan.part.kind == "leads" and "created_at" not in plan.part.columns:
        defaults["created_at"] = datetime.fromtimestamp(now, UTC).isoformat()
    return RowConverter(plan.part, plan.header, plan.source, tz, defaults, ruleset)
