"""What `graphsvc serve --demo` puts in the graph, and the reports it makes non-empty: loads the demo
into a fresh embedded FalkorDB (a temporary directory), replays its year of history as the server does
(graphsvc/lab/history.py), requalifies now, then prints the time each part took, stage velocity, funnel
conversion and the SLA summary over the year, a backtest of the active ruleset over the year, and the
predictive score fitted as "won within 90 days".

    python examples/demo_history.py [--step 30d] [--horizon 90d]
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

from graphsvc.cli import _requalify_all
from graphsvc.config import Settings
from graphsvc.demo import load_demo_into
from graphsvc.lab import service
from graphsvc.lab.outcomes import recorded_timed
from graphsvc.lab.render import render_backtest
from graphsvc.qualification.registry import active_ruleset
from graphsvc.state import AppState
from graphsvc.store.factory import open_store

DAY = 86_400.0


def _days(text: str) -> float:
    return float(text.rstrip("d")) * DAY


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--step", default="30d")
    ap.add_argument("--horizon", default="90d")
    args = ap.parse_args()
    home = Path(tempfile.mkdtemp(prefix="graphsvc-demo-history-"))
    settings = Settings(data_dir=home)
    opened = open_store(settings)
    try:
        state = AppState(settings=settings, store=opened.store)
        store = opened.store
        print(f"load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
        started = time.monotonic()
        report = load_demo_into(state)
        loaded = time.monotonic()
        _requalify_all(store)
        print(f"demo loaded and its year replayed in {loaded - started:.1f} s ({report.rows}, "
              f"{report.stage_changes} dated stage changes); requalified now in {time.monotonic() - loaded:.1f} s")
        now = state.clock()
        year = {"from": now - 365 * DAY, "to": None, "now": now}
        print("\nstage velocity (stays that began in the last year, ended):")
        for r in store.read("analytics/stage_velocity", **year, include_open=False):
            print(f"  {r['stage']:<12} stays {r['stays']:>3}  median {r['median_days']:.1f} d  p90 {r['p90_days']:.1f} d")
        print("\nfunnel conversion over the year:")
        for r in store.read("analytics/funnel_conversion", **year, by="none"):
            rate = f"{r['rate']:.2f}" if r["rate"] is not None else "-"
            print(f"  {r['stage']:<12} reached {r['reached']:>3}  -> {r['next_stage'] or '-':<12} {rate}")
        print("\nSLA over the year (SQL 24 h, MQA 72 h):")
        for r in store.read("analytics/sla_summary", **year, sql_sla_hours=24.0, mqa_sla_hours=72.0):
            print(f"  {r['stage']}: entered {r['entered']}, acted {r['acted']}, moved on {r['moved_on']}, "
                  f"open {r['open']}, breached {r['breached']}")
        outcomes = recorded_timed(store)
        results = service.backtest(store, [active_ruleset(state)], outcomes, start=now - 364 * DAY, end=now,
                                   step_s=_days(args.step), horizon_s=_days(args.horizon), now=now)
        print(f"\nbacktest of the active ruleset over the year, step {args.step}, horizon {args.horizon}:")
        print(render_backtest(results))
        model = service.fit_score(store, active_ruleset(state), outcomes, now=now, min_outcomes=5,
                                  horizon_s=_days(args.horizon))
        print(f"\npredictive score (won within {args.horizon}): {model.outcomes} outcomes ({model.won} won), "
              f"{model.examples} (account, date) examples, {model.positives} positive; ready: {model.ready}")
    finally:
        opened.close()
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
