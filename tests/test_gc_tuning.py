"""The collector settings of graphsvc's own processes (graphsvc/gc_tuning.py): checked in a fresh
interpreter, since they are process-wide and once per process."""

from __future__ import annotations

import json
import subprocess
import sys

SCRIPT = """
import gc, json
from graphsvc.gc_tuning import THRESHOLDS, tune_collector
before = gc.get_threshold()
tune_collector()
frozen = gc.get_freeze_count()
first = gc.get_threshold()
gc.set_threshold(*before)  # a second call must not touch what the process set since
tune_collector()
print(json.dumps({"before": before, "first": first, "frozen": frozen, "after_second": gc.get_threshold(),
                  "thresholds": THRESHOLDS}))
"""


def test_tune_collector_freezes_once_and_raises_thresholds() -> None:
    out = json.loads(subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                                    check=True).stdout)
    assert out["first"] == out["thresholds"]
    assert out["first"][0] > out["before"][0]  # young objects collected less often than CPython's default
    assert out["frozen"] > 1_000  # the modules imported so far, never scanned again
    assert out["after_second"] == out["before"]  # once per process


def test_the_cli_process_is_tuned() -> None:
    script = ("import gc, sys\nfrom click.testing import CliRunner\nfrom graphsvc.cli import main\n"
              "from graphsvc.gc_tuning import THRESHOLDS\n"
              "r = CliRunner().invoke(main, ['requalify', '--help'])\n"
              "assert r.exit_code == 0, r.output\n"
              "print(gc.get_threshold() == THRESHOLDS, gc.get_freeze_count() > 0)")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "True"]
