"""The weekly reports: the funnel (ABM teams) and SLA compliance (sales managers)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from graphsvc.analytics import reports
from graphsvc.api.routes.inputs import NoNulParams
from graphsvc.api.routes.queries import AnalyticsRunner
from graphsvc.auth.policy import Access
from graphsvc.errors import InvalidInput
from graphsvc.ingest.models import IsoTime

router = APIRouter(prefix="/v1/reports", tags=["analytics"], dependencies=[NoNulParams])
ACCESS = Access({"*": ("analyst",)})  # who may call these routes (graphsvc.auth.policy)

From = Annotated[IsoTime | None, Query(alias="from", description="Start of the period, ISO-8601 (default: 90 days before `to`).")]
To = Annotated[IsoTime | None, Query(description="End of the period, exclusive (default: now).")]


def _period(start, end) -> tuple[float | None, float | None]:
    s, e = (start.timestamp() if start else None), (end.timestamp() if end else None)
    if s is not None and e is not None and s >= e:
        raise InvalidInput("`from` must be before `to`", details=[{"field": "from", "message": "not before `to`"}])
    return s, e


@router.get("/funnel", summary="Accounts per stage now, and stage-to-stage conversion over a period",
            description="Per group (`by`: none, segment, industry or lead source): the accounts in each stage now, "
            "and for each funnel stage (engaged, mqa, sql, accepted, opportunity, won) how many accounts entered it "
            "in the period and how many of those went on to the next stage within it. Library queries "
            "`funnel_now` and `funnel_conversion`.")
def funnel(runner: AnalyticsRunner, start: From = None, to: To = None,
           by: Annotated[Literal["none", "segment", "industry", "source"], Query()] = "none") -> dict[str, Any]:
    return reports.funnel(runner, *_period(start, to), by=by)


@router.get("/sla", summary="How fast sales acts on new SQLs and MQAs, against the ruleset's SLAs",
            description="Per stage: entries in the period, acted on (within the SLA), moved on by the rules engine, "
            "still open, breached, and median / p90 hours to act; then every breach. Library queries "
            "`sla_summary` and `sla_breaches`.")
def sla(runner: AnalyticsRunner, start: From = None, to: To = None) -> dict[str, Any]:
    return reports.sla(runner, *_period(start, to))
