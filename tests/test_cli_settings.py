"""A bad GRAPHSVC_* setting ends a `graphsvc` command with one line on stderr and exit 1, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

BAD_STORE = "mysql://db.example:3306"


def _graphsvc(args: list[str], tmp_path, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("GRAPHSVC_")}
    environ.update(GRAPHSVC_DATA_DIR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, "-c", "from graphsvc.cli import main; main()", *args],
        check=False,
        capture_output=True,
        text=True,
        env=environ,
        timeout=120,
    )


@pytest.mark.parametrize(
    "args", [["serve"], ["requalify"], ["seed", "--accounts", "1"], ["query", "funnel_now"]], ids=lambda a: a[0]
)
def test_an_unknown_store_scheme_is_a_one_line_error_and_exit_1(tmp_path, args):
    r = _graphsvc(args, tmp_path, GRAPHSVC_STORE=BAD_STORE)
    assert r.returncode == 1, (r.returncode, r.stderr)
    assert r.stderr.splitlines() == [
        f"graphsvc: error: GRAPHSVC_STORE={BAD_STORE!r}: expected neo4j://, neo4j+s://, bolt:// or falkordb://host:port"
    ], r.stderr


def test_commands_that_do_not_open_the_store_ignore_its_setting(tmp_path):
    r = _graphsvc(["keys", "list"], tmp_path, GRAPHSVC_STORE=BAD_STORE)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr


def test_a_badly_typed_setting_is_a_one_line_error_naming_the_variable(tmp_path):
    r = _graphsvc(["requalify"], tmp_path, GRAPHSVC_MAX_BATCH="lots")
    assert r.returncode == 1, (r.returncode, r.stderr)
    assert len(r.stderr.splitlines()) == 1 and r.stderr.startswith("graphsvc: error: GRAPHSVC_MAX_BATCH: "), r.stderr


@pytest.mark.parametrize("args", [["requalify"], ["query", "funnel_now"]], ids=lambda a: a[0])
def test_an_external_engine_that_is_not_there_is_a_one_line_error_and_exit_1(tmp_path, args):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    r = _graphsvc(args, tmp_path, GRAPHSVC_STORE=f"falkordb://127.0.0.1:{port}")
    assert r.returncode == 1, (r.returncode, r.stderr)
    assert len(r.stderr.splitlines()) == 1 and "is not answering" in r.stderr and "Traceback" not in r.stderr, r.stderr


@pytest.mark.parametrize("flag", ["--all", "--due"])
def test_requalify_all_or_only_the_due_accounts(tmp_path, flag):
    """Issue 10: `requalify --due` does what the periodic decay pass does; `--all` (the default) a
    full pass. On an empty embedded store both requalify nothing and exit 0."""
    r = _graphsvc(["requalify", flag], tmp_path)
    assert r.returncode == 0, r.stderr
    assert "requalified 0 accounts: 0 changed stage" in r.stdout, r.stdout
