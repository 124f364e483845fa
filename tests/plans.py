"""The engines' own query plans, for tests that check a statement reads through an index: FalkorDB's
GRAPH.PROFILE (or GRAPH.EXPLAIN) lines and Neo4j's EXPLAIN plan as (operator, details) pairs, of a
named statement bound the way the store binds it. One copy for every plan test (test_scale_plans,
test_board_floor, test_board_stage_since, test_board_stage)."""

from __future__ import annotations

import re

from graphsvc.store import queries
from graphsvc.store.falkordb_executor import params_header


def falkordb_plan(store, statement: str, params: dict, *, profile: bool = True) -> list[str]:
    """FalkorDB's plan of the named statement, one line per operator (PROFILE runs it and counts the
    records each operator produced; EXPLAIN only plans it)."""
    q = queries.get(statement)
    ex = store.executor
    plan = ex._db.connection.execute_command("GRAPH.PROFILE" if profile else "GRAPH.EXPLAIN", ex.graph_name,
                                             params_header(q.bind(params)) + q.text)
    return [x if isinstance(x, str) else x.decode() for x in plan]


def records(line: str) -> int:
    """The records a FalkorDB PROFILE line says its operator produced."""
    found = re.search(r"Records produced: (\d+)", line)
    assert found, line
    return int(found.group(1))


def neo4j_plan(store, statement: str, params: dict) -> list[tuple[str, str]]:
    """Neo4j's EXPLAIN plan of the named statement, depth first from the root: (operator type, its
    details and other arguments as text)."""
    q = queries.get(statement)
    with store.executor._driver.session() as session:
        # The planner costs plans from index samples taken in the background: right after a test's
        # writes they may still say an index is empty (every estimate 0), and a plan cached from
        # then may be reused. Resample now, wait for it, and drop cached plans (seen: the composite
        # (stage, sort) index passed over for a single-property one in one CI run of two).
        session.run("CALL db.awaitIndexes(300)").consume()
        session.run("CALL db.prepareForReplanning(300)").consume()
        plan = session.run("EXPLAIN " + q.text, q.bind(params)).consume().plan
    ops: list[tuple[str, str]] = []

    def walk(node) -> None:
        ops.append((node["operatorType"], str({k: v for k, v in node.items() if k != "children"})))
        for child in node.get("children", []):
            walk(child)

    walk(plan)
    return ops


def leaves(ops: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The operators of a Neo4j plan that read nodes from the store (scans and seeks)."""
    return [(op, details) for op, details in ops if "Scan" in op or "Seek" in op]


def assert_index_read(store, statement: str, params: dict, rows: int, index_property: str) -> None:
    """The statement's only scan is an index read: on FalkorDB an index scan of Account that hands
    over exactly `rows` records; on Neo4j an index operator on `index_property`."""
    if store.dialect == "falkordb":
        lines = falkordb_plan(store, statement, params)
        scans = [line for line in lines if "Scan" in line]
        assert len(scans) == 1 and "Node By Index Scan | (a:Account)" in scans[0], lines
        # the index hands over the wanted accounts only, not every account
        assert records(scans[0]) == rows, lines
        return
    ops = neo4j_plan(store, statement, params)
    found = leaves(ops)
    assert len(found) == 1 and "Index" in found[0][0] and index_property in found[0][1], ops
