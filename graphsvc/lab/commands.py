"""`graphsvc rules ...`: the rules lab on the command line (simulate, diff; backtest and calibrate as they land).

Exit codes: 0 done, 1 the operation failed (message on stderr: an invalid ruleset lists every
problem with its path), 2 bad usage (click's own).
"""

from __future__ import annotations

import json
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from graphsvc.errors import GraphsvcError
from graphsvc.rules import default_ruleset_text

data_dir_option = click.option(
    "--data-dir", type=click.Path(file_okay=False, path_type=Path), envvar="GRAPHSVC_DATA_DIR",
    help="Data directory of the embedded FalkorDB (default: the user data dir). Env: GRAPHSVC_DATA_DIR.")
format_option = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                             show_default=True, help="text for people, json for programs.")


def _fail(message: str, details: Any = None) -> None:
    lines = [f"graphsvc: error: {message}"]
    if isinstance(details, list):
        lines += [f"  {d.get('path') or d.get('field') or '<document>'}: {d.get('message')}" for d in details
                  if isinstance(d, dict)]
    click.echo("\n".join(lines), err=True)
    sys.exit(1)


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
    simulate  every account under a candidate ruleset, nothing written
    diff      what changed between two rulesets, in words
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
        _fail(exc.message.replace("; nothing was simulated", ""), exc.details)
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


def render_simulation(out: dict[str, Any]) -> str:
    """A simulation's answer for people."""
    lines = [f"{out['accounts']:,} accounts: active ruleset {out['current_version']} vs candidate "
             f"{out['candidate_version']}", "", f"{'stage':<14}{'now':>8}{'candidate':>11}{'change':>8}"]
    for stage, c in out["stages"].items():
        lines.append(f"{stage:<14}{c['now']:>8,}{c['candidate']:>11,}{c['change']:>+8,}")
    lines += ["", "moves (from -> to: accounts)"]
    moved = [(a, b, n) for a, row in out["matrix"].items() for b, n in row.items() if a != b]
    lines += [f"  {a} -> {b}: {n:,}" for a, b, n in moved] or ["  none"]
    lines += ["", f"{'segment':<20}{'accounts':>9}{'MQA now':>9}{'cand.':>7}{'SQL now':>9}{'cand.':>7}"]
    for name, s in out["segments"].items():
        lines.append(f"{name:<20}{s['accounts']:>9,}{s['mqa_now']:>9,}{s['mqa_candidate']:>7,}"
                     f"{s['sql_now']:>9,}{s['sql_candidate']:>7,}")
    lines += ["", f"{out['moves_total']:,} account(s) would move, {out['moves_because_of_candidate']:,} because of "
              "the candidate (the others would move under the active ruleset too: decay since the last "
              "requalification)"]
    for m in out["moves"]:
        why = "; ".join(f"{d['check']}: {d['detail']}" for d in m["deciding"]) or m["reason"]
        lines.append(f"  {m['account_id']} {m['from']} -> {m['to']}: {why}")
    if out["moves_truncated"]:
        lines.append(f"  ... {out['moves_total'] - len(out['moves']):,} more (--max-moves, --moves-file)")
    return "\n".join(lines)
