"""One row of an export -> the ingest API's record, with every problem of the row at once.

Cell rules (the same for every source):

* an empty cell (or one of blanks) means *absent*: the field is not set, never set to "";
* ids are trimmed; Salesforce Data Loader ids lose their leading `@`;
* websites become domains (`http://www.acme.com/about` -> `acme.com`);
* whole numbers may carry thousands separators (`24,000`, `24.000`, `24 000`) and a `.0`;
* times are ISO-8601 (`2019-11-09T02:05:10.000Z`, `2025-03-01 10:00`, `2021-10-21`); a time
  without a zone takes `--tz`, and without `--tz` it is a problem naming the option;
* HubSpot multi-values are `;`-separated: for a contact's company the first is taken (and a note
  says so); buying roles go through the ruleset's `roles.crm_map` to its roles, with source `import`.

The record is then validated by the ingest model (`graphsvc.ingest.models`), so an import is held
to exactly the rules of the API; its errors are reported per field, with the column's header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Any

from pydantic import BaseModel, ValidationError

from graphsvc.imports.opportunities import OpportunityIn
from graphsvc.imports.owners import UserIn
from graphsvc.imports.recognise import Part
from graphsvc.ingest import models as m
from graphsvc.ingest.domains import normalise_domain
from graphsvc.rules import Ruleset, crm_role, default_ruleset

MODELS: dict[str, type[BaseModel]] = {"accounts": m.AccountIn, "contacts": m.ContactIn, "leads": m.LeadIn,
                                      "opportunities": OpportunityIn, "users": UserIn}
# Fields a record carries past validation for the import itself (not the ingest model's): an
# account's date of becoming a customer (HubSpot), which dates its move to stage won.
SIDE_FIELDS = ("customer_since",)

_INT_GROUPS = re.compile(r"^[-+]?\d{1,3}([,. ']\d{3})+$")
_ID_FIELDS = ("id", "account_id", "parent_id", "reports_to", "contact_id")
_INT_FIELDS = ("employees",)
_NUMBER_FIELDS = ("annual_revenue", "amount")
_TIME_FIELDS = ("created_at", "customer_since")
_DATE_FIELDS = ("close_date",)
_BOOL_FIELDS = ("is_won", "is_closed", "opted_out")
_TRUE, _FALSE = {"true", "1", "yes", "y", "x", "ja", "oui", "si", "sí"}, {"false", "0", "no", "n", "nein", "non"}


@dataclass
class Converted:
    """A row's record for the ingest model (None when the row has problems), its problems and notes."""

    record: dict[str, Any] | None
    problems: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)
    model: BaseModel | None = None
    # The fields that did convert, also for a refused row: its references are checked all the same,
    # so one pass reports every problem of the row.
    partial: dict[str, Any] = field(default_factory=dict)


class RowConverter:
    """Converts the rows of one `Part` of a file (its header, source and options are fixed)."""

    def __init__(self, part: Part, header: list[str], source: str, tz: tzinfo | None,
                 defaults: dict[str, Any] | None = None, ruleset: Ruleset | None = None) -> None:
        self.part, self.header, self.source, self.tz = part, header, source, tz
        self.ruleset = ruleset or default_ruleset()
        self.defaults = defaults or {}  # values of fields the file has no column for (a lead's created_at)
        self.model = MODELS[part.kind]
        self.column_of = {name: header[i] if i < len(header) else f"column {i + 1}"
                          for name, i in part.columns.items()}

    def convert(self, cells: list[str]) -> Converted:
        problems: list[dict[str, Any]] = []
        notes: list[dict[str, Any]] = []
        record: dict[str, Any] = dict(self.defaults)
        for name, col in self.part.columns.items():
            raw = cells[col].strip() if col < len(cells) else ""
            if not raw:
                continue  # empty means absent
            try:
                value = self._value(name, raw, notes)
            except ValueError as exc:
                problems.append(self._problem(name, str(exc)))
                continue
            if value is not None:
                record[name] = value
        if "opted_out" in record or "bounced" in record:
            # A hard bounce (any date or reason) wins over an opt-out; an explicit "not opted out"
            # without a bounce is active again. Whether a status disqualifies is the ruleset's say.
            bounced, opted_out = record.pop("bounced", None), record.pop("opted_out", None)
            record.setdefault("status", "bounced" if bounced else "opted_out" if opted_out else "active")
        if "buying_role" in record:
            roles = record.pop("buying_role")
            record["roles"] = [{"role": r, "source": "import"} for r in roles]
        if problems:
            return Converted(None, problems, notes, partial=record)
        try:
            model = self.model.model_validate({k: v for k, v in record.items() if k not in SIDE_FIELDS})
        except ValidationError as exc:
            for e in exc.errors():
                name = str(e["loc"][0]) if e["loc"] else ""
                if name == "roles":
                    name = "buying_role"
                problems.append(self._problem(name, e["msg"]))
            return Converted(None, problems, notes, partial=record)
        return Converted(record, problems, notes, model, partial=record)

    def _problem(self, name: str, message: str) -> dict[str, Any]:
        return {"field": name, "column": self.column_of.get(name, name), "message": message}

    def _value(self, name: str, raw: str, notes: list[dict[str, Any]]) -> Any:
        if name in _ID_FIELDS:
            value = raw.split(";")[0].strip() if name in ("account_id", "contact_id") and ";" in raw else raw
            if value != raw:
                what = "companies" if name == "account_id" else "contacts"
                notes.append(self._problem(name, f"several {what} ({raw}): the first, {value}, is used"))
            if self.source == "salesforce" and value.startswith("@"):
                value = value[1:]  # the Data Loader marks ids with a leading @
            return value
        if name == "domain":
            return normalise_domain(raw)
        if name == "domains":  # HubSpot's multi-value separator is ";" (a "," is taken too)
            return sorted({d for d in (normalise_domain(v) for v in re.split(r"[;,\s]+", raw)) if d}) or None
        if name in _INT_FIELDS:
            return self._scaled(name, parse_integer(raw))
        if name in _NUMBER_FIELDS:
            return self._scaled(name, parse_number(raw))
        if name in _TIME_FIELDS:
            return parse_time(raw, self.tz).isoformat()
        if name in _DATE_FIELDS:
            return parse_date(raw, self.tz).isoformat()
        if name in _BOOL_FIELDS:
            if raw.lower() in _TRUE or raw.lower() in _FALSE:
                return raw.lower() in _TRUE
            raise ValueError(f"{raw!r} is not true or false")
        if name == "buying_role":
            return self._roles(raw, notes)
        return raw

    def _scaled(self, name: str, value: float | int) -> float | int:
        scale = self.part.scale.get(name)
        if scale is None:
            return value
        out = value * scale
        return int(round(out)) if name in _INT_FIELDS else out

    def _roles(self, raw: str, notes: list[dict[str, Any]]) -> list[str] | None:
        roles: list[str] = []
        for value in (v.strip() for v in raw.split(";")):
            known, role = crm_role(value, self.ruleset)
            if not known:
                notes.append(self._problem("buying_role", f"{value!r} is not a known buying role; not imported "
                                                          "(add it to the ruleset's [roles.crm_map])"))
                continue
            if role and role not in roles:
                roles.append(role)
        return roles or None


def parse_integer(raw: str) -> int:
    text = raw.strip()
    if _INT_GROUPS.match(text):
        text = re.sub(r"[,. ']", "", text)
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{raw!r} is not a whole number") from None
    if not value.is_integer():
        raise ValueError(f"{raw!r} is not a whole number")
    return int(value)


def parse_number(raw: str) -> float:
    """`1234.5`, `1,234.5`, `1.234,5`, `1234,5`, `4000000000`, `1e6`."""
    text = raw.strip().replace(" ", "").replace("'", "")
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        text = text.replace("." if decimal == "," else ",", "").replace(",", ".")
    elif "," in text:
        text = text.replace(",", "") if _INT_GROUPS.match(text) else text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{raw!r} is not a number") from None


def parse_date(raw: str, tz: tzinfo | None) -> datetime:
    """A CRM date field (`2021-10-21`: a day, not a moment) -> midnight of that day in `tz`, or UTC
    without one; a full time is taken as `parse_time` takes it."""
    text = raw.strip()
    if len(text) == 10:
        return parse_time(text, tz or UTC)
    return parse_time(text, tz)


def parse_time(raw: str, tz: tzinfo | None) -> datetime:
    """ISO-8601 text -> an aware datetime; without a zone, in `tz` (or a ValueError naming --tz)."""
    text = raw.strip()
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{raw!r} is not an ISO-8601 date or time (e.g. 2025-03-01 10:00 or "
                         "2025-03-01T10:00:00Z)") from None
    if value.tzinfo is None:
        if tz is None:
            raise ValueError(f"{raw!r} has no timezone: give the export's zone with --tz (e.g. --tz Europe/Berlin)")
        value = value.replace(tzinfo=tz)
    return value
