"""Who can introduce us to whom: the account's org chart (REPORTS_TO) as a networkx graph.

Introductions run both ways along a reporting line (a report can introduce their boss and a boss
their report), so the graph is undirected; the shortest path from any engaged contact to a
candidate is the suggested introduction chain.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from graphsvc.rules.snapshot import AccountSnapshot


def org_chart(snapshot: AccountSnapshot) -> nx.Graph:
    g = nx.Graph()
    for c in snapshot.contacts:
        g.add_node(c.id)
        if c.reports_to:
            g.add_edge(c.id, c.reports_to)
    return g


def intro_path(graph: nx.Graph, engaged: Iterable[str], target: str) -> list[str] | None:
    """Shortest chain from an engaged contact to `target` (inclusive), or None if none connects."""
    sources = [s for s in engaged if s != target and s in graph]
    if target not in graph or not sources:
        return None
    best: list[str] | None = None
    for s in sources:
        try:
            path = nx.shortest_path(graph, s, target)
        except nx.NetworkXNoPath:
            continue
        if best is None or len(path) < len(best) or (len(path) == len(best) and path < best):
            best = path
    return best
