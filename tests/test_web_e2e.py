"""The web app end to end in real headless Chromium (Debian's `chromium`, driven by Playwright; no
browser download) against a real `graphsvc serve --demo` child process with API keys: the board, an
account, confirming a decision maker, a rejection and the 409 of an action that no longer fits, the
screens each key's roles allow, the analysts' charts. The tests also take the screenshots shown in
the README (docs/screenshots/).

Marked `browser`: `.ci/run` fails when they are skipped (tests/conftest.py, `_GUARDED`)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from serve_process import ServeProcess

playwright = pytest.importorskip("playwright.sync_api", reason="playwright is in the test extras")
expect = playwright.expect

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("GRAPHSVC_CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright launches Debian's Chromium, never a downloaded browser."""
    if not shutil.which(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM}: `apt-get install -y chromium` (the README's test command does)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1366, "height": 900}}


def _create_key(data_dir: Path, role: str) -> str:
    out = subprocess.run([sys.executable, "-m", "graphsvc.cli", "keys", "create", "--role", role, "--label",
                          f"{role} e2e", "--data-dir", str(data_dir)], capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    """`graphsvc serve --demo` on the embedded FalkorDB, with one key per role made by the CLI."""
    root = tmp_path_factory.mktemp("web-e2e")
    data = root / "data"
    data.mkdir()
    keys = {role: _create_key(data, role) for role in ("admin", "sales", "analyst")}
    svc = ServeProcess(data, root / "serve.log", "--demo")
    try:
        svc.wait_healthy()
        svc.keys = keys
        yield svc
    finally:
        svc.stop()


@pytest.fixture
def errors(page):
    """Script errors of the page: every test ends with none."""
    seen: list[str] = []
    page.on("pageerror", lambda exc: seen.append(str(exc)))
    yield seen
    assert not seen, seen


def sign_in(page, service, role: str, hash_: str = "") -> None:
    page.goto(f"{service.base_url}/{hash_}")
    expect(page.locator("#api-key")).to_be_visible()  # keys are configured: the page asks for one
    page.fill("#api-key", service.keys[role])
    page.click("text=Continue")
    expect(page.locator("#key-roles")).to_contain_text(f"roles: {role}")


def shot(page, name: str, locator=None) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    (locator or page).screenshot(path=str(SHOTS / name), **({} if locator else {"full_page": False}))


def test_board_account_confirm_a_decision_maker_and_the_stage_and_checks_change(page, service, errors):
    sign_in(page, service, "sales")
    board = page.locator("#board tbody tr")
    expect(board.first).to_be_visible()
    assert board.count() == 40  # the demo's 40 accounts on one page of 50
    # sorted by MQA score, highest first: the first row's score is the largest
    scores = [float(t.replace(",", "")) for t in page.locator("#board tbody tr td:nth-child(7)").all_inner_texts()]
    assert scores == sorted(scores, reverse=True)
    expect(page.locator('#board tr[data-account="acc-castellan"]')).to_contain_text("act within")  # SQL's SLA
    shot(page, "board.png")

    page.select_option("#f-missing_role", "decision_maker")  # filters apply on change
    expect(page).to_have_url(re.compile(r"missing_role=decision_maker"))
    expect(page.locator('#board tr[data-account="acc-castellan"]')).to_have_count(0)
    page.fill("#f-q", "LUMETRA-semi")
    page.click("text=Apply")
    expect(page.locator("#board tbody tr")).to_have_count(1)
    page.click("text=Lumetra Semiconductor B.V.")

    expect(page.locator("#stage")).to_have_text("mqa")
    dm_check = page.locator('#sql-checks tr[data-check="role:decision_maker"] td[data-passed]')
    expect(dm_check).to_have_attribute("data-passed", "false")
    expect(page.locator("#next-action")).to_contain_text("find decision maker")
    expect(page.locator('#roles li[data-role="decision_maker"]')).to_contain_text("known, not engaged")
    # the map: every contact, the org chart, the empty slot, and the introduction path to the best
    # candidate (engineer -> manager -> director -> VP -> CEO) highlighted
    page.wait_for_function("() => window.graphsvcMap && window.graphsvcMap.nodes().length > 0")
    path = page.evaluate("() => window.graphsvcMap.nodes('.path').map(n => n.id()).sort()")
    assert path == ["con-lumetra-01", "con-lumetra-03", "con-lumetra-04", "con-lumetra-06", "con-lumetra-07"]
    assert page.evaluate("() => window.graphsvcMap.edges('.reports').length") == 10
    assert page.evaluate("() => window.graphsvcMap.nodes('.slot').map(n => n.id())") == ["slot:decision_maker"]
    page.locator("#map").scroll_into_view_if_needed()
    shot(page, "account-map.png", page.locator("#map"))

    # Sales confirms the engaged yield engineer as the decision maker: the account becomes an SQL
    row = page.locator('#contacts tr[data-contact="con-lumetra-09"]')
    row.locator("select").select_option("decision_maker")
    row.locator("text=Confirm").click()
    expect(page.locator("#result")).to_contain_text("Stage changed: mqa → sql")
    expect(page.locator("#stage")).to_have_text("sql")
    expect(dm_check).to_have_attribute("data-passed", "true")
    expect(page.locator('#roles li[data-role="decision_maker"]')).to_contain_text("covered")
    expect(page.locator("#history")).to_contain_text(re.compile(r"mqa\s*→\s*sql"))
    assert page.evaluate("() => window.graphsvcMap.nodes('.slot').length") == 0


def test_the_board_shows_parents_with_their_subsidiaries_stages(page, service, errors):
    """Issue 15: `group_by=parent` adds a Subsidiaries column (the flat board has none)."""
    sign_in(page, service, "sales")
    expect(page.locator("#board tbody tr").first).to_be_visible()
    expect(page.locator("#board th", has_text="Subsidiaries")).to_have_count(0)
    page.select_option("#f-group_by", "parent")
    expect(page).to_have_url(re.compile(r"group_by=parent"))
    expect(page.locator("#board th", has_text="Subsidiaries")).to_have_count(1)
    expect(page.locator("#board tbody tr td.subsidiaries")).to_have_count(page.locator("#board tbody tr").count())


def test_an_account_with_two_buying_groups_shows_each_groups_gate(page, service, errors):
    """Issue 15: once a role sits in a second buying group, the account page lists every group's gate."""
    import httpx

    r = httpx.put(f"{service.base_url}/v1/contacts/con-brenner-06/roles", timeout=30,
                  headers={"Authorization": f"Bearer {service.keys['sales']}"},
                  json={"confirm": [{"role": "champion", "buying_group": "inline monitoring"}], "actor": "e2e"})
    assert r.status_code == 200, r.text
    sign_in(page, service, "sales", "#/account/acc-brenner")
    expect(page.locator("#groups")).to_be_visible()
    expect(page.locator('#groups tr[data-group="default"]')).to_have_count(1)
    expect(page.locator('#groups tr[data-group="inline monitoring"]')).to_contain_text("decision_maker")


def test_an_owner_change_is_in_the_accounts_timeline_and_leaves_the_stage_date_alone(page, service, errors):
    """Issue 12: the history mixes owner changes with stage changes; the page shows both, and the
    stage's "since" still comes from the last stage change."""
    import httpx

    sign_in(page, service, "sales", "#/account/acc-brenner")
    since = page.locator("#stage-line").inner_text()
    r = httpx.put(f"{service.base_url}/v1/accounts/acc-brenner/owner", timeout=30,
                  headers={"Authorization": f"Bearer {service.keys['sales']}"},
                  json={"owner": "dana.rep", "actor": "e2e manager", "reason": "territory change"})
    assert r.status_code == 200, r.text
    page.reload()
    owner = page.locator('#history li[data-type="owner_changed"]').first
    expect(owner).to_contain_text("dana.rep")
    expect(owner).to_contain_text("by e2e manager")
    expect(owner).to_contain_text("territory change")
    expect(page.locator("#stage-line")).to_have_text(since)


def test_reject_with_a_reason_then_an_action_that_no_longer_fits_shows_the_409(page, service, errors):
    sign_in(page, service, "sales", "#/account/acc-castellan")
    expect(page.locator("#stage")).to_have_text("sql")
    # as_of replay: the date picker shows the account as it was at the end of that day
    yesterday = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    page.fill("#as-of", yesterday)
    expect(page).to_have_url(re.compile(f"as_of={yesterday}"))
    expect(page.locator("#stage-line")).to_contain_text(f"as of {yesterday} 23:59 UTC (stored stage now: sql)")
    page.click("text=Back to now")
    expect(page.locator("#stage-line")).not_to_contain_text("as of")
    page.click('button[data-action="reject"]')  # no reason chosen: the API's 422 is shown
    expect(page.locator("#result")).to_contain_text("422")
    expect(page.locator("#result")).to_contain_text("reject needs a reason")
    page.select_option("#reject-reason", "bad_timing")
    page.click('button[data-action="reject"]')
    expect(page.locator("#result")).to_contain_text("reject: sql → nurture")
    expect(page.locator("#stage")).to_have_text("nurture")
    page.click('button[data-action="accept"]')
    expect(page.locator("#result")).to_contain_text("409 conflict")
    expect(page.locator("#result")).to_have_class(re.compile("error"))
    expect(page.locator("#stage")).to_have_text("nurture")
    expect(page.locator("#history")).to_contain_text("bad_timing")


def test_a_sales_key_cannot_open_the_rules_screen_and_a_bad_key_is_told_so(page, service, errors):
    page.goto(f"{service.base_url}/#/rules")
    page.fill("#api-key", "gsk_not-a-key")
    page.click("text=Continue")
    expect(page.locator("#login-error")).to_contain_text("not valid")
    page.fill("#api-key", service.keys["sales"])
    page.click("text=Continue")
    expect(page.locator("#forbidden")).to_contain_text("You cannot open the rules screen")
    expect(page.locator("#forbidden")).to_contain_text("admin")
    expect(page.locator("#nav a")).to_have_text(["Board"])  # no analytics, no rules for a sales key
    page.goto(f"{service.base_url}/#/analytics")
    expect(page.locator("#forbidden")).to_contain_text("analyst")


def test_an_analyst_sees_the_funnel_velocity_sla_and_stuck_mqas_but_not_the_board(page, service, errors):
    sign_in(page, service, "analyst", "#/board")
    expect(page.locator("#forbidden")).to_contain_text("You cannot open the board screen")
    page.click("#nav >> text=Analytics")
    expect(page.locator("#funnel-chart")).to_be_visible()
    page.wait_for_function("() => window.Chart && Chart.getChart('funnel-chart')")
    counts = page.evaluate("() => Chart.getChart('funnel-chart').data.datasets[0].data")
    assert sum(counts) == 40
    expect(page.locator("#stuck")).to_be_visible()
    expect(page.locator("#conversion tbody tr").first).to_be_visible()
    shot(page, "funnel.png")
    page.select_option("#a-by", "segment")
    page.click("text=Show")
    page.wait_for_function("() => Chart.getChart('funnel-chart') && "
                           "Chart.getChart('funnel-chart').data.datasets.length === 3")


def test_an_admin_opens_the_rules_screen_and_an_invalid_ruleset_is_refused_with_its_errors(page, service, errors):
    sign_in(page, service, "admin", "#/rules")
    expect(page.locator("#rules-toml")).to_have_value(re.compile(r"\[sla\]"))
    page.fill("#rules-toml", "[sla]\nsql_hours = -1\n")
    page.click("text=Validate, apply and activate")
    expect(page.locator("#result")).to_contain_text("422")
    expect(page.locator("#result")).to_contain_text("sql_hours")
    expect(page.locator("#nav a")).to_have_text(["Board", "Analytics", "Rules"])


def test_an_admin_previews_a_ruleset_and_sees_what_would_move_with_nothing_written(page, service, errors):
    """The rules screen's Preview simulates the edited ruleset (POST /v1/rules/simulate) and shows the
    numbers the API gives for it: accounts per stage, the moving accounts with their deciding checks."""
    import httpx

    sign_in(page, service, "admin", "#/rules")
    expect(page.locator("#rules-toml")).to_have_value(re.compile(r"\[mqa\]"))
    active = page.locator("#rules-toml").input_value()
    # A lower MQA bar: engaged accounts go up at once (a stage goes down only after its hold).
    candidate = re.sub(r"(\[mqa\][^\[]*?\nmin_score = )[0-9.]+", r"\g<1>20.0", active, count=1)
    assert candidate != active
    headers = {"X-API-Key": service.keys["admin"], "Content-Type": "application/toml"}
    version = httpx.get(f"{service.base_url}/v1/rules", headers=headers, timeout=30).json()["version"]
    page.fill("#rules-toml", candidate)
    page.click("#simulate")
    expect(page.locator("#result")).to_contain_text("Nothing was written", timeout=60_000)
    answer = httpx.post(f"{service.base_url}/v1/rules/simulate", content=candidate, params={"max_moves": 50},
                        headers=headers, timeout=60).json()
    assert answer["moves_total"] > 0, answer["stages"]  # something to show
    expect(page.locator("#result")).to_contain_text(f"{answer['moves_total']:,} would change stage")
    rows = page.locator("#preview-stages tbody tr")
    expect(rows).to_have_count(len(answer["stages"]))
    for i, (stage, n) in enumerate(answer["stages"].items()):
        expect(rows.nth(i)).to_contain_text(stage)
        expect(rows.nth(i).locator("td.num").nth(1)).to_have_text(f"{n['candidate']:,}")
    moves = page.locator("#preview-moves tbody tr")
    expect(moves).to_have_count(len(answer["moves"]))
    first = answer["moves"][0]
    row = page.locator(f"#preview-moves tr[data-account='{first['account_id']}']")
    expect(row).to_contain_text(first["to"])
    expect(row).to_contain_text(first["deciding"][0]["detail"] if first["deciding"] else first["reason"])
    shot(page, "rules-preview.png")
    assert httpx.get(f"{service.base_url}/v1/rules", headers=headers, timeout=30).json()["version"] == version
    row.locator("a").click()  # each moving account opens its page
    expect(page).to_have_url(re.compile(r"#/account/"))


def test_the_map_is_operable_from_the_keyboard(page, service, errors):
    """The canvas takes focus; the arrow keys walk the nodes and say what each shows; Enter on an empty
    role slot goes to that role's entry (its first candidate's Confirm button), and on a contact to the contact's row."""
    sign_in(page, service, "sales", "#/board?missing_role=decision_maker")  # an account with an empty slot
    first = page.locator("#board tbody tr").first
    expect(first).to_be_visible()
    first.locator("a").click()
    page.wait_for_function("() => window.graphsvcMap && window.graphsvcMap.nodes().length > 0")
    total = page.evaluate("() => window.graphsvcMap.nodes().length")
    page.locator("#map").focus()
    page.keyboard.press("ArrowRight")
    status = page.locator("#map-status")
    expect(status).to_contain_text(f"1 of {total}: ")
    assert page.evaluate("() => window.graphsvcMap.nodes(':selected').length") == 1
    page.keyboard.press("End")  # the slot column stands right of the chart: the last in reading order
    said = []
    for _ in range(total):
        said.append(status.inner_text())
        if "required role decision_maker" in said[-1]:
            break
        page.keyboard.press("ArrowLeft")
    assert "required role decision_maker" in said[-1], said
    assert "candidates: " in said[-1] or "no candidates" in said[-1]
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.closest('li[data-role]')?.dataset.role") == "decision_maker"
    # every contact node is reachable, and says whether it is engaged
    page.locator("#map").focus()
    page.keyboard.press("Home")
    seen = set()
    for _ in range(total):
        seen.add(page.evaluate("() => window.graphsvcMap.nodes(':selected').id()"))
        text = status.inner_text()
        assert "engaged" in text or "required role" in text, text
        page.keyboard.press("ArrowDown")
    assert len(seen) == total
    page.keyboard.press("Home")
    first = page.evaluate("() => window.graphsvcMap.nodes(':selected').id()")
    if not first.startswith("slot:"):
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.closest('#contacts tr')?.dataset.contact") == first


@pytest.mark.parametrize("width", [768, 1024])
def test_the_board_fits_a_tablet_without_sideways_scrolling(page, service, errors, width):
    page.set_viewport_size({"width": width, "height": 1024})
    sign_in(page, service, "sales")
    expect(page.locator("#board tbody tr").first).to_be_visible()
    box = page.evaluate("() => { const c = document.querySelector('#board').parentElement;"
                        " return [c.clientWidth, c.scrollWidth, document.documentElement.scrollWidth]; }")
    assert box[1] <= box[0] and box[2] <= width, box
    # the columns that matter to sales stay on screen: stage, scores, missing roles and the SLA
    shown = page.evaluate("() => [...document.querySelectorAll('#board thead th')]"
                          ".filter(t => t.getBoundingClientRect().width > 0).map(t => t.textContent)")
    for column in ("Account", "Stage", "MQA score", "Missing roles", "SLA"):
        assert column in shown, shown
