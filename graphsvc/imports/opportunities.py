"""CRM opportunities as graph data, and the account stage that won deals set.

An opportunity is stored as it is in the CRM (`(:Account)-[:HAS_OPPORTUNITY]->(:Opportunity)`, and
its primary contact `-[:ON_OPPORTUNITY]->` it): stage name, won / closed, amount, currency, close
date. Won / closed come from `IsWon` / `IsClosed` when the export has them, else from the stage
name (`Closed Won`, `Won` -> won; `Closed Lost`, `Lost` -> lost).

A won deal makes the account a customer: an account with a won opportunity that is not in stage
`won` yet moves there, recorded as a StageChange dated with its first won deal's close date and the
actor `import` (the CRM's date, not the import's): the history says when it became a customer.
The engine never overrides `won` (a people's stage). Re-importing changes nothing: an account
already `won` is left alone.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from graphsvc.ingest.models import Id, IdRef, IsoTime, Text
from graphsvc.store.graph_store import GraphStore

_WON = re.compile(r"\b(closed[\s_-]*)?won\b", re.I)
_LOST = re.compile(r"\b(closed[\s_-]*)?lost\b", re.I)
ACTOR = "import"


class OpportunityIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)  # as ingest rows

    id: Id
    account_id: IdRef = Field(description="The opportunity's account.")
    contact_id: IdRef | None = None
    name: Text | None = None
    stage: Text | None = Field(default=None, description="The CRM's stage name, e.g. Closed Won.")
    is_won: bool | None = None
    is_closed: bool | None = None
    amount: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None
    currency: Text | None = None
    close_date: IsoTime | None = None
    source: Text | None = None
    pipeline: Text | None = Field(default=None, description="The CRM's pipeline (HubSpot).")

    @model_validator(mode="after")
    def _won_from_stage(self) -> OpportunityIn:
        if self.is_won is None and self.stage:
            self.is_won = bool(_WON.search(self.stage))
        if self.is_closed is None and self.stage:
            self.is_closed = self.is_won or bool(_LOST.search(self.stage))
        return self


@dataclass
class Written:
    created: int
    updated: int


def write(store: GraphStore, rows: list[OpportunityIn], now: float) -> Written:
    params = []
    for r in rows:
        props = r.model_dump(exclude_none=True, exclude={"id", "account_id", "contact_id", "close_date"})
        if r.close_date is not None:
            props["close_date"] = r.close_date.timestamp()
        params.append({"id": r.id, "account_id": r.account_id, "contact_id": r.contact_id, "props": props})
    out = store.write("imports/upsert_opportunities", rows=params, now=now, batch=uuid.uuid4().hex)[0]
    return Written(created=out["created"], updated=out["total"] - out["created"])


def first_wins(rows: list[OpportunityIn], wins: dict[str, tuple[float, str]], now: float) -> None:
    """Fold the batch's won deals into `wins`: account -> (earliest won close date, its deal)."""
    for r in rows:
        if r.is_won:
            at = r.close_date.timestamp() if isinstance(r.close_date, datetime) else now
            label = f"won opportunity {r.id} ({r.name})" if r.name else f"won opportunity {r.id}"
            if r.account_id not in wins or at < wins[r.account_id][0]:
                wins[r.account_id] = (at, label)


def mark_won(store: GraphStore, wins: dict[str, tuple[float, str]], source: str) -> list[dict[str, Any]]:
    """Move each account with a won deal to stage `won`, dated by its first won deal; the changes."""
    changes = []
    for account_id, (at, deal) in sorted(wins.items()):
        row = store.account(account_id)
        if row is None:
            continue
        current = row["account"].get("stage") or "target"
        if current == "won":
            continue
        done = store.write("qualification/transition", id=account_id, **{"from": current}, to="won", at=at,
                           actor=ACTOR, action="won", reason=f"{deal} in {source}",
                           change_id=uuid.uuid4().hex)
        if done:
            changes.append({"account_id": account_id, "from": current, "to": "won", "at": at})
    return changes
