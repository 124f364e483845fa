"""The static checks the test command runs, so they stay clean: ruff over the code (its rules in
pyproject.toml, [tool.ruff]) and mypy --strict over the pure core, the store and the services (rules/, store/, ingest/,
qualification/, analytics/, auth/; [tool.mypy] in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing():
    r = _run("ruff", "check", "graphsvc", "seeds", "tests", "bench", "tools")
    assert r.returncode == 0, r.stdout[-6000:] + r.stderr[-2000:]


STRICT = ("rules", "store", "ingest", "qualification", "analytics", "auth")


def test_mypy_strict_finds_nothing_in_the_core_and_the_services():
    r = _run("mypy", *(f"graphsvc/{p}" for p in STRICT))
    assert r.returncode == 0, r.stdout[-6000:] + r.stderr[-2000:]
