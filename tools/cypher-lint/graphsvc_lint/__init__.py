"""Development tooling: the lint of the Cypher in `cypher/` (tests only, never shipped in the wheel).

* `cypher_lint` -- Neo4j's own linter (`tools/cypher-lint/lint.mjs`, npm package pinned in
  `tools/cypher-lint/package-lock.json`) plus our own checks; `lint_queries(queries)` runs them all.
* `cypher_checks` -- the checks Neo4j's linter does not make (portable subset, written property keys,
  schema-command names, `@param` headers).
* `vocabulary` -- the graph's labels, relationship types, property keys and schema, as the linter is
  told them.

Importable when `tools/cypher-lint` is on `sys.path`: pytest puts it there (`pythonpath` in
pyproject.toml); elsewhere, `PYTHONPATH=tools/cypher-lint`.
"""
