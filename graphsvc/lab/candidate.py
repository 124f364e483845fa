"""A calibrated candidate ruleset: the base ruleset with the fitted numbers put in, as TOML.

What changes: the points of every activity type the outcomes data has (types it lacks keep their
base points, and the report says so), the seniority and department tables (replaced by the fitted
levels; the unknown level becomes `unknown_seniority` / `unknown_department`; aliases whose target
is gone are dropped), title patterns (dropped: they would add points to a fit they were not fitted
with), and the MQL and MQA bars. Everything else (roles, SQL gates, SLAs, disqualifiers, account fit)
is the base's. The candidate is only ever written to a file: it is never activated by the lab
(simulate it, then `PUT /v1/rules`).
"""

from __future__ import annotations

from typing import Any

import tomli_w

from graphsvc.lab.features import UNKNOWN
from graphsvc.rules import Ruleset, load_ruleset


def _drop_none(value: Any) -> Any:
    """TOML has no null: leave out the keys a model dump holds as None (they are the defaults)."""
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value]
    return value


def _table(fitted: dict[str, float]) -> tuple[dict[str, float], float | None]:
    known = {k: v for k, v in fitted.items() if k != UNKNOWN}
    return known, fitted.get(UNKNOWN)


def candidate_data(base: Ruleset, activity: dict[str, float], seniority: dict[str, float],
                   department: dict[str, float], bars: dict[str, float], *, name: str = "calibrated",
                   description: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = base.model_dump(mode="json")
    data["name"] = name
    data["description"] = description or f"Calibrated from outcomes on the base ruleset {base.name} ({base.version})."
    data["activities"]["points"] = {**data["activities"]["points"], **activity}
    cf = data["contact_fit"]
    for table, fitted, unknown_key in (("seniority", seniority, "unknown_seniority"),
                                       ("department", department, "unknown_department")):
        if not fitted:
            continue
        known, unknown = _table(fitted)
        cf[table] = known
        if unknown is not None:
            cf[unknown_key] = unknown
        aliases = f"{table}_aliases"
        cf[aliases] = {a: t for a, t in cf.get(aliases, {}).items() if t in known and a not in known}
    cf["title_patterns"] = []
    for path, value in bars.items():
        section, key = path.split(".")
        data[section][key] = value
    if "mql.min_engagement" in bars:
        # A contact counts as engaged for the MQA when it passes the calibrated MQL engagement bar
        # (the bar must stay positive: 0 would count every contact).
        data["mqa"]["engaged_contact_min"] = max(bars["mql.min_engagement"], 0.1)
    data["mqa"]["per_contact_cap"] = max(data["mqa"]["per_contact_cap"], data["mqa"]["engaged_contact_min"])
    return data


def to_toml(data: dict[str, Any]) -> str:
    header = ("# A CANDIDATE ruleset written by `graphsvc rules calibrate`: never activated by the lab.\n"
              "# Points are log-odds * 10 / ln 2: every 10 points double the odds of the outcome.\n"
              "# Simulate it (graphsvc rules simulate FILE), then activate it with PUT /v1/rules.\n\n")
    return header + tomli_w.dumps(_drop_none(data))


def build_candidate(base: Ruleset, activity: dict[str, float], seniority: dict[str, float],
                    department: dict[str, float], bars: dict[str, float]) -> Ruleset:
    """The candidate as a validated Ruleset (through its TOML text, exactly as it would be loaded)."""
    return load_ruleset(to_toml(candidate_data(base, activity, seniority, department, bars)))
