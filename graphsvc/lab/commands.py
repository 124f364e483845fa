"""`graphsvc rules ...`: the rules lab on the command line (simulate, diff; backtest and calibrate as they land).

Exit codes: 0 done, 1 the operation failed (message on stderr: an invalid ruleset lists every
problem with its path), 2 bad usage (click's own).
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from graphsvc.errors import GraphsvcError
from graphsvc.lab.render import render_backtest, render_calibration, render_simulation
from graphsvc.rules import default_ruleset_text

data_dir_option = click.option(
    "--data-dir", type=click.Path(file_okay=False, path_type=Path), envvar="GRAPHSVC_DATA_DIR",
    help="Data directory of the embedded FalkorDB (default: the user data dir). Env: GRAPHSVC_DATA_DIR.")
format_option = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                             show_default=True, help="text for people, json for programs.")


def _fail(message: str, details: Any = None) -> None:
    lines = [f"graphsvc: error: {message}"]
    if isinstance(details, list):
        lines += [f"  {_where(d)}: {d.get('message')}" for d in details if isinstance(d, dict)]
    click.echo("\n".join(lines), err=True)
    sys.exit(1)


def _where(d: dict[str, Any]) -> str:
    """An error detail's place: a ruleset path, or a file's row (its line number) and field."""
    what = d.get("path") or d.get("field") or "<document>"
    return f"row {d['row']} {what}" if d.get("row") is not None else what


def _read_ruleset_text(spec: str) -> str:
    """A ruleset file's text; `default` is the built-in default ruleset."""
    if spec == "default":
        return default_ruleset_text()
    try:
        return Path(spec).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        _fail(f"cannot read the ruleset {spec!r}: {exc}")
        raise  # unreachable: _fail exits


def _timestamp(value: str | None, option: str) -> float | None:
    if value is None:
        return None
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not ISO-8601 (e.g. 2026-11-01T00:00:00+00:00)",
                                 param_hint=option) from None
    if at.tzinfo is None:
        raise click.BadParameter(f"{value!r} has no timezone (add +00:00 or Z)", param_hint=option)
    return at.timestamp()


@click.group("rules")
def rules() -> None:
    """The rules lab: try a ruleset before it goes live.

    \b
    simulate   every account under a candidate ruleset, nothing written
    diff       what changed between two rulesets, in words
    backtest   replay rulesets over recorded history against won/lost outcomes
    calibrate  fit points and bars to won/lost outcomes; writes a CANDIDATE ruleset
    fit-score  fit the predictive score readiness and the board show
    """


@rules.command("diff")
@click.argument("a")
@click.argument("b")
@format_option
def diff_command(a: str, b: str, fmt: str) -> None:
    """Explain what changed from ruleset A to ruleset B (TOML files; `default` = the built-in one).

    Example: graphsvc rules diff default candidate.toml
    """
    from graphsvc.lab import diff, service

    try:
        ra = service.candidate(_read_ruleset_text(a), f"ruleset A ({a})")
        rb = service.candidate(_read_ruleset_text(b), f"ruleset B ({b})")
    except GraphsvcError as exc:
        _fail(exc.message.replace("; nothing was done", ""), exc.details)
        return
    if fmt == "json":
        click.echo(json.dumps({"a": ra.version, "b": rb.version, "changes": diff.diff(ra, rb)}, indent=2))
    else:
        click.echo(diff.explain(ra, rb))


@rules.command("simulate")
@click.argument("file")
@click.option("--as-of", default=None, help="Evaluate as of this ISO-8601 moment (default: now).")
@click.option("--moves-file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write every moving account (JSON lines, streamed) here; the answer lists at most --max-moves.")
@click.option("--max-moves", default=20, show_default=True, type=click.IntRange(0),
              help="Moving accounts shown in the answer.")
@format_option
@data_dir_option
def simulate_command(file: str, as_of: str | None, moves_file: Path | None, max_moves: int, fmt: str,
                     data_dir: Path | None) -> None:
    """Evaluate every account under the candidate ruleset FILE without writing anything.

    Prints accounts per stage now vs under the candidate, the stage-to-stage matrix, MQA/SQL volume
    per segment and the accounts that would move with the checks that decide it. Example:

      graphsvc rules simulate candidate.toml --moves-file moves.jsonl
    """
    from graphsvc.config import Settings
    from graphsvc.lab import service
    from graphsvc.store import factory
    from seeds.progress import Progress

    text = _read_ruleset_text(file)
    at = _timestamp(as_of, "--as-of")
    try:
        service.candidate(text)  # an invalid candidate fails before an engine is started
        opened = factory.open_store(Settings(data_dir=data_dir) if data_dir else Settings())
    except GraphsvcError as exc:
        _fail(exc.message, exc.details)
        return
    sink = moves_file.open("w", encoding="utf-8") if moves_file else None
    try:
        total = opened.store.counts()["accounts"]
        bar = Progress("simulate", total, unit="accounts")
        now = time.time()
        out = service.simulate(opened.store, text, as_of=at if at is not None else now, now=now,
                               max_moves=max_moves, progress=lambda done, moved: bar.update(done, moves=moved),
                               on_move=(lambda m: sink.write(json.dumps(m) + "\n")) if sink else None)
        bar.close()
    except GraphsvcError as exc:
        _fail(exc.message, exc.details)
        return
    finally:
        if sink:
            sink.close()
        opened.close()
    click.echo(json.dumps(out, indent=2) if fmt == "json" else render_simulation(out))


class _Stages:
    """One progress bar per stage of a long run (`(stage, done, total)` callbacks)."""

    def __init__(self) -> None:
        from seeds.progress import Progress

        self._make = Progress
        self.stage: str | None = None
        self.bar: Any = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self.close()
            self.stage, self.bar = stage, self._make(stage, total, unit="")
        self.bar.update(done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


@contextmanager
def _opened(data_dir: Path | None) -> Iterator[tuple[Any, _Stages]]:
    """The configured store and a progress display for one command; a GraphsvcError ends the command
    with its message (and every detail) and exit 1; the store is closed either way."""
    from graphsvc.config import Settings
    from graphsvc.store import factory

    try:
        opened = factory.open_store(Settings(data_dir=data_dir) if data_dir else Settings())
    except GraphsvcError as exc:
        _fail(exc.message, exc.details)
    stages = _Stages()
    try:
        yield opened.store, stages
    except GraphsvcError as exc:
        stages.close()
        _fail(exc.message, exc.details)
    finally:
        stages.close()
        opened.close()


@rules.command("calibrate")
@click.option("--outcomes", "outcomes_file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              default=None, help="CSV with account_id,outcome (won/lost or 1/0). Default: the won and lost "
              "transitions recorded in the graph.")
@click.option("--from", "base_file", default=None,
              help="The ruleset to calibrate (TOML file, or `default`). Default: the active ruleset.")
@click.option("--as-of", default=None, help="Measure engagement as of this ISO-8601 moment (default: now).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Write the CANDIDATE ruleset (TOML) here. It is never activated.")
@click.option("--report", "report_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the full report (JSON) here.")
@click.option("--folds", default=5, show_default=True, type=click.IntRange(2, 20), help="Cross-validation folds.")
@click.option("--rounds", default=100, show_default=True, type=click.IntRange(1, 10_000),
              help="Bootstrap refits for the interval of every number.")
@click.option("--seed", default=0, show_default=True, type=int, help="Folds and resamples: same seed, same answer.")
@format_option
@data_dir_option
def calibrate_command(outcomes_file: Path | None, base_file: str | None, as_of: str | None, out: Path,
                      report_file: Path | None, folds: int, rounds: int, seed: int, fmt: str,
                      data_dir: Path | None) -> None:
    """Fit activity points, contact-fit points and the MQL/MQA bars to won/lost outcomes.

    A regularised logistic regression (scikit-learn) whose coefficients are the ruleset's numbers
    (10 points double the odds), signs kept as the base ruleset has them, a bootstrap interval for
    every number, and cross-validated AUC and lift of the base ruleset, the candidate and an
    unconstrained model. Writes a CANDIDATE ruleset: simulate it, then activate it. Example:

      graphsvc rules calibrate --outcomes outcomes.csv --out candidate.toml --report report.json
    """
    from graphsvc.lab import outcomes, service
    from graphsvc.qualification.registry import active_ruleset_for

    at = _timestamp(as_of, "--as-of")
    try:
        given = outcomes.parse_csv(outcomes_file.read_text(encoding="utf-8")) if outcomes_file else None
        base = service.candidate(_read_ruleset_text(base_file), "the base ruleset") if base_file else None
    except (GraphsvcError, UnicodeDecodeError) as exc:
        _fail(getattr(exc, "message", str(exc)), getattr(exc, "details", None))
        return
    with _opened(data_dir) as (store, stages):
        now = time.time()
        found = given if given is not None else outcomes.recorded(store)
        text, report = service.calibrate(store, base or active_ruleset_for(store), found,
                                         as_of=at if at is not None else now, now=now, folds=folds, rounds=rounds,
                                         seed=seed, progress=stages)
    out.write_text(text, encoding="utf-8")
    if report_file:
        report_file.write_text(json.dumps(report, indent=2), encoding="utf-8")
    click.echo(json.dumps(report, indent=2) if fmt == "json" else render_calibration(report, out))


_UNITS = {"h": 3600.0, "d": 86400.0, "w": 7 * 86400.0}


def _duration(value: str, option: str) -> float:
    """`30d`, `12h`, `2w` -> seconds."""
    v = value.strip().lower()
    try:
        n = float(v[:-1])
        unit = _UNITS[v[-1]]
    except (KeyError, ValueError, IndexError):
        raise click.BadParameter(f"{value!r}: expected a number and a unit, h, d or w (e.g. 30d)",
                                 param_hint=option) from None
    if not n > 0 or n > 36_500:
        raise click.BadParameter(f"{value!r} must be positive", param_hint=option)
    return n * unit


def _date(value: str, option: str) -> float:
    """ISO-8601 with a timezone, or a bare date (midnight UTC)."""
    if len(value) == 10:
        value += "T00:00:00+00:00"
    at = _timestamp(value, option)
    assert at is not None
    return at


@rules.command("backtest")
@click.argument("file")
@click.option("--against", default=None, help="A second ruleset to compare side by side (file, `default` or `active`).")
@click.option("--from", "start", required=True, help="Start of the replay: a date (UTC) or ISO-8601.")
@click.option("--to", "end", required=True, help="End of the replay (not in the future).")
@click.option("--step", default="30d", show_default=True, help="Replay every this long (h, d, w).")
@click.option("--horizon", default="90d", show_default=True, help="An SQL counts as a hit when won within this.")
@click.option("--outcomes", "outcomes_file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              default=None, help="CSV with account_id,outcome,at (won/lost, ISO-8601). Default: the won and lost "
              "transitions recorded in the graph.")
@click.option("--chart", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the side-by-side chart here (.png or .svg).")
@format_option
@data_dir_option
def backtest_command(file: str, against: str | None, start: str, end: str, step: str, horizon: str,
                     outcomes_file: Path | None, chart: Path | None, fmt: str, data_dir: Path | None) -> None:
    """Replay ruleset FILE (`default`, `active` or a TOML file) over the recorded history and score it.

    At every step each account is evaluated from its history then (activities as they happened,
    buying roles as they were known), from the stage the same replay gave it before. Reported per
    ruleset: SQL precision and recall for won within the horizon, lift over the base rate, MQA->SQL
    and SQL->won conversion, median days from MQA and SQL to won, leakage (won, never MQA) and
    inflation (SQLs lost). Example:

      graphsvc rules backtest active --against candidate.toml --from 2026-01-01 --to 2026-11-01 --chart bt.png
    """
    from graphsvc.lab import outcomes, service
    from graphsvc.qualification.registry import active_ruleset_for

    t0, t1 = _date(start, "--from"), _date(end, "--to")
    step_s, horizon_s = _duration(step, "--step"), _duration(horizon, "--horizon")
    try:
        given = outcomes.parse_timed_csv(outcomes_file.read_text(encoding="utf-8")) if outcomes_file else None
        specs = [file, *([against] if against else [])]
        named = {s: service.candidate(_read_ruleset_text(s), f"ruleset {s}") for s in specs if s != "active"}
    except (GraphsvcError, UnicodeDecodeError) as exc:
        _fail(getattr(exc, "message", str(exc)), getattr(exc, "details", None))
        return
    with _opened(data_dir) as (store, stages):
        rulesets = [named[s] if s in named else active_ruleset_for(store) for s in specs]
        found = given if given is not None else outcomes.recorded_timed(store)
        results = service.backtest(store, rulesets, found, start=t0, end=t1, step_s=step_s, horizon_s=horizon_s,
                                   now=time.time(), progress=lambda done, total: stages("replay steps", done, total))
    if chart:
        from graphsvc.lab.chart import write_chart

        write_chart(results, chart, f"backtest {start} .. {end}, step {step}, horizon {horizon}")
    click.echo(json.dumps(results, indent=2) if fmt == "json" else render_backtest(results))


@rules.command("fit-score")
@click.option("--outcomes", "outcomes_file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              default=None, help="CSV with account_id,outcome[,at] (won/lost or 1/0; at: ISO-8601). Default: the won "
              "and lost transitions recorded in the graph, with their dates.")
@click.option("--min-outcomes", default=50, show_default=True, type=click.IntRange(1),
              help="Fewer won and lost accounts than this: no score (readiness says so instead of guessing).")
@click.option("--horizon", default=None, help="Fit the probability of being won within this (e.g. 90d). "
              "Default: GRAPHSVC_SCORE_HORIZON_DAYS (90).")
@click.option("--every", default="30d", show_default=True, help="Sample the history every this often.")
@format_option
@data_dir_option
def fit_score_command(outcomes_file: Path | None, min_outcomes: int, horizon: str | None, every: str, fmt: str,
                      data_dir: Path | None) -> None:
    """Fit the predictive score (probability of being won within the horizon, with top factors) that
    readiness and the board show, and keep it in the graph.

    Training examples are (account, as_of) pairs every --every over the recorded history, labelled
    "won within --horizon after as_of" (outcomes with dates: the recorded transitions, or a CSV with
    an `at` column); a CSV without dates fits won vs lost among the closed accounts instead. Refit
    when outcomes accumulate. With fewer than --min-outcomes won or lost accounts the kept model is
    empty and readiness answers why there is no score. Example: graphsvc rules fit-score --horizon 90d
    """
    from graphsvc.config import Settings
    from graphsvc.lab import outcomes, service
    from graphsvc.qualification.registry import active_ruleset_for

    horizon_s = _duration(horizon, "--horizon") if horizon else Settings().score_horizon_days * 86400.0
    step_s = _duration(every, "--every")
    try:
        text = outcomes_file.read_text(encoding="utf-8") if outcomes_file else None
        given: dict[str, Any] | None = None
        if text is not None:
            has_at = "at" in [f.strip().lower() for f in text.lstrip("\ufeff").splitlines()[0].split(",")] if text.strip() else False
            given = dict(outcomes.parse_timed_csv(text)) if has_at else dict(outcomes.parse_csv(text))
    except (GraphsvcError, UnicodeDecodeError) as exc:
        _fail(getattr(exc, "message", str(exc)), getattr(exc, "details", None))
        return
    with _opened(data_dir) as (store, stages):
        found = given if given is not None else outcomes.recorded_timed(store)
        model = service.fit_score(store, active_ruleset_for(store), found, now=time.time(), min_outcomes=min_outcomes,
                                  horizon_s=horizon_s, step_s=step_s, progress=stages)
    out = {"outcomes": model.outcomes, "won": model.won, "min_outcomes": model.min_outcomes, "ready": model.ready,
           "horizon_days": model.horizon_days, "examples": model.examples, "positives": model.positives}
    if fmt == "json":
        click.echo(json.dumps(out, indent=2))
    elif model.ready:
        within = (f", {model.examples:,} (account, date) examples, won within {model.horizon_days:g} days"
                  if model.horizon_days else "")
        click.echo(f"score model fitted on {model.outcomes:,} outcomes ({model.won:,} won){within}; readiness and "
                   "the board show it now")
    else:
        click.echo(f"only {model.outcomes:,} outcomes ({model.won:,} won), fewer than {min_outcomes:,} or one kind "
                   "only: no score; readiness says so")

