"""The analysts' Cypher library: every `cypher/analytics/*.cypher`, described and parameter-checked.

A library query's header is its contract (see `graphsvc.store.queries`). Parameters given by a
caller are checked against it before anything runs: unknown names, wrong types and values outside a
documented `one of: a, b, c` list are all reported at once as one 422. Two conveniences on top of
the Cypher types: a FLOAT documented in "epoch seconds" also takes an ISO-8601 time with a timezone,
and `coerce(..., strings=True)` parses command-line text (`--param days=30`) into the declared type.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from graphsvc.errors import InvalidInput, NotFound
from graphsvc.store import queries
from graphsvc.store.queries import Param, Query

__all__ = ["coerce", "describe", "get", "names"]

PREFIX = "analytics/"
_CHOICES = re.compile(r"one of:\s*(?P<values>[\w-]+(?:\s*,\s*[\w-]+)*)\s*$")
_TRUE, _FALSE = {"true", "yes", "1", "on"}, {"false", "no", "0", "off"}


class _BadValue(ValueError):
    pass


def names() -> list[str]:
    return sorted(n[len(PREFIX):] for n in queries.load_all() if n.startswith(PREFIX))


def get(name: str) -> Query:
    query = queries.load_all().get(PREFIX + name) if "/" not in name else None
    if query is None:
        raise NotFound(f"no library query named {name!r}; GET /v1/queries lists them",
                       details={"available": names()})
    return query


def choices(param: Param) -> list[str] | None:
    """The allowed values a parameter's doc lists as `one of: a, b, c` (at its end)."""
    m = _CHOICES.search(param.doc)
    return [v.strip() for v in m["values"].split(",")] if m else None


def is_time(param: Param) -> bool:
    return param.type == "FLOAT" and "epoch seconds" in param.doc


def describe(query: Query) -> dict[str, Any]:
    return {
        "name": query.name[len(PREFIX):],
        "description": query.doc,
        "params": [
            {"name": p.name, "type": p.type, "required": p.required, "default": p.default, "doc": p.doc,
             "choices": choices(p), "accepts_iso_time": is_time(p)}
            for p in query.params.values()
        ],
        "columns": [{"name": c.name, "type": c.type, "doc": c.doc} for c in query.columns],
    }


def coerce(query: Query, raw: Mapping[str, Any] | None, *, strings: bool = False) -> dict[str, Any]:
    """`raw` checked and converted to the declared types, defaults filled; InvalidInput (422)
    listing every problem otherwise. With `strings=True` values are command-line text."""
    raw = dict(raw or {})
    errors: list[dict[str, Any]] = []
    for name in sorted(set(raw) - set(query.params)):
        errors.append({"field": name, "message": f"unknown parameter; {_known(query)}"})
    out: dict[str, Any] = {}
    for p in query.params.values():
        if p.name not in raw:
            if p.required:
                errors.append({"field": p.name, "message": f"required parameter ({p.type}) is missing"})
            out[p.name] = p.default
            continue
        try:
            value = _convert(p, raw[p.name], strings)
        except _BadValue as exc:
            errors.append({"field": p.name, "message": str(exc)})
            continue
        allowed = choices(p)
        if allowed is not None and value is not None and value not in allowed:
            errors.append({"field": p.name, "message": f"{value!r} is not one of: {', '.join(allowed)}"})
            continue
        out[p.name] = value
    if errors:
        raise InvalidInput(f"bad parameters for query {query.name[len(PREFIX):]!r}", details=errors)
    return out


def _known(query: Query) -> str:
    return f"this query takes: {', '.join(query.params) or 'no parameters'}"


def _convert(p: Param, value: Any, strings: bool) -> Any:
    if value is None or (strings and value == "null"):
        if p.required:
            raise _BadValue(f"must be a {p.type}, not null")
        return None
    if strings:
        value = _from_text(p, value)
    kind = p.type
    if kind.startswith("LIST<") and kind.endswith(">"):
        if not isinstance(value, list):
            raise _BadValue(f"must be a list ({kind}), got {_what(value)}")
        inner = Param(p.name, kind[5:-1], True)
        return [_convert(inner, v, False) for v in value]
    if kind == "STRING":
        if not isinstance(value, str):
            raise _BadValue(f"must be a string, got {_what(value)}")
        return value
    if kind == "BOOLEAN":
        if not isinstance(value, bool):
            raise _BadValue(f"must be true or false, got {_what(value)}")
        return value
    if kind == "INTEGER":
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise _BadValue(f"must be an integer, got {_what(value)}")
        return value
    if kind == "FLOAT":
        if isinstance(value, str) and is_time(p):
            return _iso_to_epoch(value)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            hint = " or an ISO-8601 time with a timezone" if is_time(p) else ""
            raise _BadValue(f"must be a number{hint}, got {_what(value)}")
        return float(value)
    if kind == "MAP":
        if not isinstance(value, dict):
            raise _BadValue(f"must be a map, got {_what(value)}")
        return value
    return value  # ANY and types the header may name that we do not check


def _from_text(p: Param, text: Any) -> Any:
    """Command-line text to a JSON-ish value of the declared type."""
    if not isinstance(text, str):
        return text
    kind = p.type
    try:
        if kind == "STRING":
            return text
        if kind == "BOOLEAN":
            low = text.strip().lower()
            if low in _TRUE | _FALSE:
                return low in _TRUE
            raise _BadValue(f"must be true or false, got {text!r}")
        if kind == "INTEGER":
            return int(text)
        if kind == "FLOAT":
            return text if is_time(p) and not _is_number(text) else float(text)
        if kind.startswith("LIST<"):
            if text.lstrip().startswith("["):
                return json.loads(text)
            inner = Param(p.name, kind[5:-1], True, doc=p.doc)
            return [_from_text(inner, part.strip()) for part in text.split(",") if part.strip()]
        return json.loads(text)
    except (ValueError, json.JSONDecodeError) as exc:
        if isinstance(exc, _BadValue):
            raise
        raise _BadValue(f"{text!r} is not a valid {kind}") from None


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _iso_to_epoch(text: str) -> float:
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise _BadValue(f"{text!r} is neither epoch seconds nor an ISO-8601 time") from None
    if when.tzinfo is None:
        raise _BadValue(f"{text!r} needs a timezone, e.g. 2026-11-01T00:00:00Z")
    return when.timestamp()


def _what(value: Any) -> str:
    return f"{type(value).__name__} {json.dumps(value, default=str)[:60]}"
