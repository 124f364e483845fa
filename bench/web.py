"""How fast the web app renders in headless Chromium: the board of a 10,000-account store and an
account page (readiness, buying-center map, history), against a real `graphsvc serve`.

    graphsvc seed --accounts 10000 --data-dir /tmp/webbench/data      # once (minutes)
    python bench/web.py --data-dir /tmp/webbench/data --runs 5

Board, cold: a new tab loads the page (HTML, scripts, the two vendored libraries) and renders the
first page of the board; warm: the loaded app applies a filter/sort/page and renders again. Account:
from the board, open an account and wait until its checks, map and history are on the page. Each
figure is the time the browser measured (performance.now()), median and worst of --runs. Results
on stdout, progress on stderr; docs/benchmarks.md has the figures and the machine.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

import httpx
from _common import Server, note, say

CHROMIUM = "/usr/bin/chromium"


def summary(label: str, times_ms: list[float]) -> None:
    say(f"{label:<52} median {statistics.median(times_ms):7.0f} ms   worst {max(times_ms):7.0f} ms   "
        f"({len(times_ms)} runs)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, required=True, help="embedded store's data dir (seeded if empty)")
    parser.add_argument("--accounts", type=int, default=10_000, help="accounts to seed when the dir is empty")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--store", help="an already running engine (falkordb://host:port), e.g. the seeded store "
                        "started with a longer start-up budget than serve's 120 s (replaying a 1M-activity "
                        "append-only file on a loaded machine takes longer)")
    parser.add_argument("--password-file", help="the engine's password file, with --store")
    args = parser.parse_args()
    env = {}
    if args.store:
        env = {"GRAPHSVC_STORE": args.store, "GRAPHSVC_STORE_PASSWORD_FILE": args.password_file or ""}
    elif not (args.data_dir / "falkordb").exists():
        note(f"seeding {args.accounts:,} accounts into {args.data_dir} ...")
        subprocess.run([sys.executable, "-m", "graphsvc.cli", "seed", "--accounts", str(args.accounts),
                        "--data-dir", str(args.data_dir)], check=True)

    from playwright.sync_api import sync_playwright

    home = args.data_dir if not args.store else args.data_dir.parent / "web-bench-serve"
    home.mkdir(parents=True, exist_ok=True)
    server = Server(home, env)
    try:
        first = httpx.get(f"{server.url}/v1/accounts", params={"limit": 500}, timeout=60).json()["items"]
        total = 0
        cursor = None
        while True:  # how many accounts the store holds, through the board itself
            page_ = httpx.get(f"{server.url}/v1/accounts", params={"limit": 500, "sort": "name", "cursor": cursor},
                              timeout=60).json()
            total += len(page_["items"])
            cursor = page_["next_cursor"]
            if not cursor:
                break
        say(f"store: {total:,} accounts (graphsvc serve on FalkorDB)")
        accounts = [a["id"] for a in first[: args.runs]]
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM)
            for limit in (50, 500):
                cold, warm = [], []
                for _ in range(args.runs):
                    page = browser.new_page(viewport={"width": 1366, "height": 900})
                    page.goto(f"{server.url}/#/board?limit={limit}")
                    page.wait_for_selector("#board tbody tr")
                    assert page.locator("#board tbody tr").count() == limit
                    cold.append(page.evaluate("performance.now()"))
                    t0 = page.evaluate("performance.now()")
                    page.evaluate(f"location.hash = '#/board?limit={limit}&sort=fit'")
                    page.wait_for_function("() => location.hash.includes('sort=fit') && "
                                           f"document.querySelectorAll('#board tbody tr').length === {limit} && "
                                           "document.getElementById('board-status').textContent.startsWith('Page')")
                    warm.append(page.evaluate("performance.now()") - t0)
                    page.close()
                summary(f"board, {limit} rows of {total:,}, cold (new tab)", cold)
                summary(f"board, {limit} rows of {total:,}, warm (sort by fit)", warm)
            times = []
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            page.goto(f"{server.url}/#/board")
            page.wait_for_selector("#board tbody tr")
            for account in accounts:
                page.evaluate("window.graphsvcMap = null")
                t0 = page.evaluate("performance.now()")
                page.evaluate(f"location.hash = '#/account/{account}'")
                # the map is drawn last, after the checks, contacts and history are on the page
                page.wait_for_function("() => !!window.graphsvcMap")
                times.append(page.evaluate("performance.now()") - t0)
                contacts = page.locator("#contacts tbody tr").count()
                note(f"  {account}: {times[-1]:.0f} ms, {contacts} contacts")
            summary(f"account page ({len(accounts)} top-MQA accounts), from the board", times)
            browser.close()
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
