"""The lab's answers for people (the CLI's text format; `--format json` prints the answers as they are)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


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


def render_calibration(r: dict[str, Any], out: Path) -> str:
    """A calibration report for people."""
    lines = [f"{r['accounts']:,} accounts, {r['won']:,} won ({r['base_rate']:.1%}); {r['folds']}-fold CV, "
             f"{r['bootstrap_rounds']} bootstrap refits; {r['scale']}", "",
             f"{'model':<16}{'AUC':>7}{'top-decile lift':>17}"]
    for name in ("base", "candidate", "unconstrained"):
        lines.append(f"{name:<16}{r['cv'][name]['auc']:>7.3f}{r['cv'][name]['lift_top_decile']:>17.2f}")
    lines += ["", f"{'number':<48}{'value':>8}  95% interval"]
    for p in r["points"] + r["seniority"] + r["department"] + r["bars"]:
        note = " (sign contradicted the base: dropped)" if p.get("dropped") else ""
        base = f"  base {p['base']:g}" if p.get("base") is not None else ""
        lines.append(f"{p['path']:<48}{p['value']:>8g}  [{p['low']}, {p['high']}]{base}{note}")
    if r["not_in_data"]:
        lines.append(f"not in the outcomes data (base points kept): {', '.join(r['not_in_data'])}")
    lines += ["", f"candidate ruleset {r['candidate_version']} written to {out} (NOT activated: simulate it, then "
              "PUT /v1/rules)"]
    return "\n".join(lines)


BACKTEST_ROWS = (("accounts", "accounts"), ("won_in_period", "won in the period"), ("base_rate", "base rate"),
                 ("mqa_accounts", "became MQA"), ("sql_accounts", "became SQL"),
                 ("sql_won_within_horizon", "SQLs won within horizon"), ("sql_precision", "SQL precision"),
                 ("sql_recall", "SQL recall"), ("lift", "lift"), ("mqa_to_sql", "MQA->SQL"),
                 ("sql_to_won", "SQL->won"), ("median_days_mqa_to_won", "median days MQA->won"),
                 ("median_days_sql_to_won", "median days SQL->won"), ("leakage", "leakage (won, never MQA)"),
                 ("inflation", "inflation (SQLs lost)"))


def render_backtest(results: list[dict[str, Any]]) -> str:
    """The results side by side, one column per ruleset."""
    head = f"{'':<28}" + "".join(f"{r['ruleset'] + ' ' + r['version'][:6]:>22}" for r in results)
    lines = [head]
    for key, label in BACKTEST_ROWS:
        cells = ["-" if r[key] is None else f"{r[key]:g}" for r in results]
        lines.append(f"{label:<28}" + "".join(f"{c:>22}" for c in cells))
    return "\n".join(lines)
