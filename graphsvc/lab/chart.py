"""Backtest results side by side as a chart (matplotlib, headless): PNG or SVG by the file's suffix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

SHARES = (("sql_precision", "SQL precision"), ("sql_recall", "SQL recall"), ("mqa_to_sql", "MQA->SQL"),
          ("sql_to_won", "SQL->won"), ("leakage_share", "leakage"), ("inflation_share", "inflation"))


def write_chart(results: list[dict[str, Any]], path: Path, title: str) -> None:
    """Grouped bars: one group per share (0..1), one bar per ruleset."""
    import matplotlib

    matplotlib.use("Agg")  # no display: the chart goes to a file
    from matplotlib import pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 4.5))
    width = 0.8 / max(1, len(results))
    for i, r in enumerate(results):
        xs = [k + i * width for k in range(len(SHARES))]
        ax.bar(xs, [r.get(key) or 0.0 for key, _ in SHARES], width, label=f"{r['ruleset']} ({r['version']})")
    ax.set_xticks([k + width * (len(results) - 1) / 2 for k in range(len(SHARES))], [label for _, label in SHARES])
    ax.set_ylim(0, 1)
    ax.set_ylabel("share of accounts")
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, format=path.suffix.lstrip(".").lower() or "png")
    plt.close(fig)
