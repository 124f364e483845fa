"""Issue 10: seed progress is a bar on a terminal and separate lines every few seconds elsewhere;
the multi-process writer keeps a bounded number of chunks in flight."""

from __future__ import annotations

import io

from seeds import writer
from seeds.generator import generate
from seeds.progress import LoadProgress, Progress


def test_not_a_terminal_prints_whole_lines_at_most_every_interval():
    out = io.StringIO()
    p = Progress("seeds: accounts", 1000, unit="accounts", stream=out, interval=3600.0)
    for i in range(1, 1001):
        p.update(i, contacts=i * 10)
    p.close("done")
    text = out.getvalue()
    assert "\r" not in text
    assert text.splitlines() == ["seeds: accounts: 1,000/1,000 accounts (100%), contacts 10,000, "
                                 + text.splitlines()[0].split("contacts 10,000, ")[1], "done"]


def test_not_a_terminal_with_a_short_interval_prints_one_line_per_update():
    out = io.StringIO()
    p = Progress("x", None, stream=out, interval=0.0)
    for i in range(5):
        p.update(i)
    p.close()
    lines = out.getvalue().split("\n")
    assert lines[-1] == "" and len(lines) == 7 and all(line.startswith("x: ") for line in lines[:-1])


def test_a_terminal_gets_a_bar():
    out = io.StringIO()
    p = Progress("seeds: accounts", 100, stream=out, tty=True)
    for i in range(101):
        p.update(i, activities=i * 100)
    p.close("done")
    text = out.getvalue()
    assert "\r" in text and "100/100" in text and text.endswith("done\n")


def test_load_progress_one_bar_per_kind():
    out = io.StringIO()
    p = LoadProgress({"accounts": 10}, stream=out, interval=3600.0)
    for kind in ("accounts", "contacts"):
        for i in range(1, 11):
            p(kind, i, 0.1)
    p.close()
    lines = out.getvalue().splitlines()
    assert len(lines) == 2 and lines[0].startswith("  accounts: 10/10") and lines[1].startswith("  contacts: 10 rows")


def test_load_progress_counts_what_a_kind_counts():
    out = io.StringIO()
    p = LoadProgress(stream=out, interval=3600.0, units={"requalify": "accounts"})
    p("requalify", 500, 0.1)
    p.close()
    assert out.getvalue().startswith("  requalify: 500 accounts, ") and "accounts/s" in out.getvalue()


def test_write_dataset_progress_to_a_log_is_lines(tmp_path):
    out = io.StringIO()
    counts = writer.write_dataset(generate(accounts=30, seed=3), tmp_path, jobs=1, progress=True, stream=out)
    lines = out.getvalue().split("\n")
    assert "\r" not in out.getvalue() and lines[-1] == ""
    assert max(map(len, lines)) < 300
    assert lines[-2].startswith(f"seeds: wrote {counts['accounts']:,} accounts")


class _FakePool:
    def __init__(self):
        self.in_flight = self.most = 0

    def apply_async(self, fn, args):
        self.in_flight += 1
        self.most = max(self.most, self.in_flight)
        pool = self

        class _Result:
            def get(self):
                pool.in_flight -= 1
                return args[0]

        return _Result()


def test_bounded_imap_keeps_order_and_a_bounded_window():
    pool = _FakePool()
    tasks = [("leads", i, i + 1) for i in range(1000)]
    assert list(writer._bounded_imap(pool, tasks, ahead=4)) == tasks
    assert pool.most <= 5


def test_graphsvc_seed_into_a_log_prints_whole_lines(cli_store):
    """`graphsvc seed` with stderr not a terminal (CliRunner's is a buffer): one complete line per
    kind and for the requalification, no carriage returns (it used to write `\\r` updates)."""
    from click.testing import CliRunner

    from graphsvc import cli

    r = CliRunner().invoke(cli.main, ["seed", "--accounts", "6", "--as-of", "2026-11-01T00:00:00Z"])
    assert r.exit_code == 0, r.output
    assert "\r" not in r.stderr
    lines = r.stderr.splitlines()
    for kind in ("accounts", "contacts", "leads", "activities", "requalify"):
        assert [line for line in lines if line.startswith(f"  {kind}: ")], r.stderr
    assert cli_store.counts()["accounts"] == 6
