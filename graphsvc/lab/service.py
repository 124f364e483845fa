"""What the routes and the CLI call: parse a candidate ruleset and simulate it against the active one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphsvc.errors import InvalidInput
from graphsvc.lab.simulate import Progress, Simulator
from graphsvc.qualification.registry import active_ruleset_for
from graphsvc.rules import Ruleset, RulesetError, load_ruleset
from graphsvc.store.graph_store import GraphStore


def candidate(text: str, what: str = "the candidate ruleset") -> Ruleset:
    """A ruleset from TOML text, or a 422 listing every problem with its path."""
    try:
        return load_ruleset(text)
    except RulesetError as exc:
        raise InvalidInput(f"{what} is invalid; nothing was simulated", details=exc.errors) from exc


def simulate(store: GraphStore, text: str, *, as_of: float, now: float, max_moves: int = 1000,
             progress: Progress | None = None,
             on_move: Callable[[dict[str, Any]], None] | None = None) -> dict[str, Any]:
    """Every account under the candidate at `as_of` (never later than `now`), compared with the
    stage it has; nothing is written."""
    rs = candidate(text)
    sim = Simulator(store, active_ruleset_for(store), rs).run(min(as_of, now), now, max_moves=max_moves,
                                                             progress=progress, on_move=on_move)
    return sim.to_dict()
