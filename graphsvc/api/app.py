"""The FastAPI application: lifespan owns the store (and the embedded engine), routes are thin."""

from __future__ import annotations

import asyncio
import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI

from graphsvc import __version__, auth
from graphsvc.api import errors, responses
from graphsvc.api.deadline import Deadline
from graphsvc.api.routes import (
    accounts,
    bant,
    contacts,
    cypher,
    events,
    exports,
    health,
    identity,
    imports,
    ingest,
    lab,
    owners,
    qualification,
    queries,
    reports,
    rules,
    session,
    web,
    webhooks,
)
from graphsvc.api.timing import ServerTiming
from graphsvc.auth import api as keys
from graphsvc.config import Settings
from graphsvc.events.delivery import DeliveryWorker
from graphsvc.events.sla import SlaTimer
from graphsvc.gc_tuning import tune_collector
from graphsvc.qualification.activations import Activations
from graphsvc.qualification.registry import active_ruleset
from graphsvc.qualification.scheduler import Requalifier
from graphsvc.runs import Runs
from graphsvc.state import AppState, Clock
from graphsvc.store.factory import open_store
from graphsvc.store.graph_store import GraphStore
from graphsvc.store.lane import Lane

log = logging.getLogger("graphsvc")

# Every router of the API, in the order their routes appear in /docs.
# Who may call each router is declared next to it, as its module's ACCESS (graphsvc/auth/policy.py).
ROUTERS = (health, ingest, imports, exports, accounts, owners, qualification, bant, contacts, identity, rules, lab,
           queries, cypher, reports, events, webhooks, keys, session, web)

DESCRIPTION = """
Account-based qualification over a graph of accounts, contacts, buying roles and engagement.

Engagement rolls up from contacts to **Marketing Qualified Accounts (MQA)**; an MQA becomes
**Sales Qualified (SQL)** only with recent intent *and* a covered buying center, and the API says
exactly what is missing when it is not. Times are ISO-8601 with a timezone.
"""


def create_app(
    settings: Settings | None = None,
    *,
    store: GraphStore | None = None,
    clock: Clock | None = None,
    on_start=None,
) -> FastAPI:
    """Build the app. With `store` given the caller owns it; otherwise the lifespan opens (and for
    the embedded default, starts) the store the settings name and closes it at shutdown."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        opened = None
        active = store
        if active is None:
            opened = open_store(settings)
            active = opened.store
        active.analysts = Lane(settings.analyst_concurrency)
        active.result_byte_limit = settings.query_byte_limit
        state = AppState(settings=settings, store=active)
        if clock:
            state.clock = clock
        app.state.graphsvc = state
        if on_start:
            on_start(state)
        app.state.requalifier = Requalifier(state, settings.requalify_interval_s,
                                            settings.requalify_pending_interval_s,
                                            settings.requalify_full_pass).start()
        # Webhook deliveries: a thread of its own, lanes per webhook (GRAPHSVC_WEBHOOK_POLL_S=0: none here)
        app.state.webhooks = DeliveryWorker(state).start()
        app.state.sla = SlaTimer(state, lambda: active_ruleset(state), settings.sla_interval_s).start()
        try:
            yield
        finally:
            # As a request would be waited for: the ruleset ends active or not, not half applied.
            await asyncio.to_thread(app.state.rule_activations.wait)
            app.state.lab_runs.stop()  # simulations and exports write nothing: not waited for
            app.state.export_runs.stop()
            app.state.sla.stop()
            app.state.webhooks.stop()
            app.state.requalifier.stop()
            if opened:
                opened.close()

    app = FastAPI(title="graphsvc", version=__version__, description=DESCRIPTION, lifespan=lifespan)
    app.state.rule_activations = Activations()  # PUT /v1/rules runs them in the background
    # So do simulations, backtests and exports (graphsvc.runs).
    app.state.lab_runs = Runs(settings.data_dir / "lab", {"simulation": "/v1/rules/simulations",
                                                           "backtest": "/v1/rules/backtests"}, "rules-lab runs")
    app.state.export_runs = Runs(settings.data_dir / "exports", {"export": "/v1/exports/runs"}, "exports")
    errors.install(app)
    app.add_middleware(ServerTiming)
    app.add_middleware(Deadline, timeout_s=settings.request_timeout_s)  # outermost: also bounds the auth check
    auth.install(app, settings)
    for module in ROUTERS:
        app.include_router(module.router, dependencies=auth.dependencies_for(module))
    responses.install(app)  # the error answers of every operation, documented by rule
    return app


def app_from_env() -> FastAPI:
    """App factory for `graphsvc serve --workers N`: settings from the environment. Runs in each
    worker process, which is ours: the collector is tuned there (gc_tuning)."""
    app = create_app(Settings())
    tune_collector()
    return app
