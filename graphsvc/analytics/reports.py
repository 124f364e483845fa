"""The two weekly reports, assembled from library queries (no Cypher of their own).

* funnel: accounts per stage now and conversion between funnel stages over a period, per group
  (segment, industry or lead source) -- `funnel_now` + `funnel_conversion`;
* sla: how fast sales acts on new SQLs and MQAs against the ruleset's SLAs, and which entries
  breached -- `sla_summary` + `sla_breaches`.

Every funnel stage appears in every group (zeros included), so a chart never has holes. Times are
ISO-8601, as everywhere in the API.
"""

from __future__ import annotations

from typing import Any

from graphsvc.analytics.runner import Runner
from graphsvc.rules import STAGES
from graphsvc.store.records import iso

__all__ = ["FUNNEL", "SLA_STAGES", "funnel", "sla"]

FUNNEL = STAGES[STAGES.index("engaged"):STAGES.index("won") + 1]  # engaged, mqa, sql, accepted, opportunity, won
SLA_STAGES = ("sql", "mqa")
DEFAULT_PERIOD_DAYS = 90


def period(runner: Runner, start: float | None, end: float | None) -> tuple[float, float]:
    end = runner.context.now if end is None else end
    start = end - DEFAULT_PERIOD_DAYS * 86400.0 if start is None else start
    return start, end


def funnel(runner: Runner, start: float | None, end: float | None, by: str = "none") -> dict[str, Any]:
    start, end = period(runner, start, end)
    now_rows = runner.rows("funnel_now", by=by)
    conv_rows = runner.rows("funnel_conversion", by=by, **{"from": start, "to": end})
    groups = sorted({r["group"] for r in now_rows} | {r["group"] for r in conv_rows})
    out = []
    for group in groups:
        counts = {r["stage"]: r["accounts"] for r in now_rows if r["group"] == group}
        conv = {r["stage"]: r for r in conv_rows if r["group"] == group}
        steps = []
        for i, stage in enumerate(FUNNEL):
            row = conv.get(stage, {})
            reached = row.get("reached", 0)
            nxt = FUNNEL[i + 1] if i + 1 < len(FUNNEL) else None
            advanced = row.get("advanced", 0) if nxt else None
            steps.append({"stage": stage, "reached": reached, "next_stage": nxt, "advanced": advanced,
                          "rate": (advanced / reached if reached else None) if nxt else None})
        extra = sorted(set(counts) - set(STAGES))  # stages outside the vocabulary, if any were written
        out.append({
            "group": group,
            "accounts": sum(counts.values()),
            "stages_now": [{"stage": s, "accounts": counts.get(s, 0)} for s in (*STAGES, *extra)],
            "conversion": steps,
        })
    return {"from": iso(start), "to": iso(end), "by": by, "groups": out}


def sla(runner: Runner, start: float | None, end: float | None, breaches_limit: int = 500) -> dict[str, Any]:
    start, end = period(runner, start, end)
    window = {"from": start, "to": end}
    summary = {r["stage"]: r for r in runner.rows("sla_summary", **window)}
    # One row more than shown tells whether the list was cut.
    breached = runner.rows("sla_breaches", **window, only_breached=True, limit=breaches_limit + 1)
    ctx = runner.context
    hours = {"sql": ctx.sql_sla_hours, "mqa": ctx.mqa_sla_hours}
    stages = []
    for stage in SLA_STAGES:
        row = summary.get(stage) or {
            "stage": stage, "sla_hours": hours[stage], "entered": 0, "acted": 0, "acted_within_sla": 0,
            "moved_on": 0, "open": 0, "breached": 0, "breach_rate": None,
            "median_hours_to_act": None, "p90_hours_to_act": None,
        }
        stages.append(_rounded(row))
    rows = [
        _rounded({**r, "entered_at": iso(r["entered_at"]), "ended_at": iso(r["ended_at"])})
        for r in breached[:breaches_limit]
    ]
    return {"from": iso(start), "to": iso(end), "as_of": iso(ctx.now),
            "sla_hours": hours, "stages": stages, "breaches": rows, "breaches_truncated": len(breached) > breaches_limit}


def _rounded(row: dict[str, Any]) -> dict[str, Any]:
    return {k: round(v, 2) if isinstance(v, float) else v for k, v in row.items()}
