// Statements that must never change the graph through POST /v1/cypher: writes, schema and admin
// commands, and writes disguised by comments, unions, subqueries and FOREACH. Each block starts
// with a line `//// name` (optionally ` params={json}`); everything up to the next such line is the
// statement sent, comments included. Read by tests/test_cypher_endpoint.py; never linted or loaded
// as a named statement (it lives outside cypher/).
//// create_node
CREATE (:Account {id: 'evil'})
//// create_node_returning
CREATE (a:Account {id: 'evil', name: 'Evil'}) RETURN a
//// create_relationship
MATCH (a:Account {id: 'A1'}), (b:Account {id: 'A2'})
CREATE (a)-[:SUBSIDIARY_OF]->(b)
//// unwind_create
UNWIND range(1, 10) AS i CREATE (:Account {id: 'evil-' + toString(i)})
//// merge_new_node
MERGE (a:Account {id: 'evil'}) RETURN a.id
//// merge_existing_on_match_set
MERGE (a:Account {id: 'A1'}) ON MATCH SET a.stage = 'won' RETURN a.stage
//// merge_relationship
MATCH (a:Account {id: 'A1'}), (c:Contact {id: 'c3-vp'}) MERGE (c)-[:WORKS_AT]->(a)
//// set_property
MATCH (a:Account {id: 'A1'}) SET a.stage = 'lost' RETURN a.stage
//// set_properties_map
MATCH (a:Account) SET a += {stage: 'won', owner: 'evil'}
//// set_replace_all_properties
MATCH (a:Account {id: 'A3'}) SET a = {id: 'A3'}
//// set_label
MATCH (a:Account) SET a:Evil
//// set_case_expression
MATCH (a:Account) SET a.mqa_score = CASE WHEN a.stage = 'mqa' THEN 100 ELSE 0 END
//// remove_property
MATCH (a:Account) REMOVE a.missing_roles
//// remove_label
MATCH (a:Account {id: 'A7'}) REMOVE a:Account
//// delete_relationship
MATCH (:Account)-[r:TRANSITIONED]->(:StageChange) DELETE r
//// delete_node
MATCH (k:Campaign {id: 'c-late'}) DELETE k
//// detach_delete_everything
MATCH (n) DETACH DELETE n
//// optional_match_then_delete
OPTIONAL MATCH (a:Account {id: 'A5'}) DETACH DELETE a RETURN count(*)
//// with_limit_then_set
MATCH (a:Account) WITH a ORDER BY a.id LIMIT 1 SET a.stage = 'won' RETURN a.id
//// lowercase_keywords
match (a:Account {id: 'A2'}) set a.stage = 'accepted' return a.id
//// load_csv_create
LOAD CSV FROM 'file:///etc/passwd' AS row CREATE (:Account {id: row[0]})
//// load_csv_with_headers_merge
LOAD CSV WITH HEADERS FROM 'https://example.com/accounts.csv' AS row MERGE (:Account {id: row.id})
//// foreach_create
FOREACH (i IN range(1, 3) | CREATE (:Account {id: 'evil-' + toString(i)}))
//// foreach_set_on_matched
MATCH (a:Account) FOREACH (_ IN CASE WHEN a.stage = 'mqa' THEN [1] ELSE [] END | SET a.stage = 'sql')
//// union_with_create
MATCH (a:Account) RETURN a.id AS id
UNION
CREATE (x:Account {id: 'evil'}) RETURN x.id AS id
//// union_all_with_merge
RETURN 'harmless' AS id
UNION ALL
MERGE (x:Account {id: 'evil'}) RETURN x.id AS id
//// call_subquery_create
CALL { CREATE (a:Account {id: 'evil'}) RETURN a } RETURN a.id
//// call_subquery_importing_set
MATCH (a:Account) CALL (a) { SET a.stage = 'won' } RETURN count(*)
//// call_subquery_with_import
MATCH (a:Account) CALL { WITH a SET a.stage = 'won' RETURN 1 AS one } RETURN count(one)
//// hidden_after_line_comment
// MATCH (n) RETURN count(n)
CREATE (:Account {id: 'evil'})
//// hidden_after_block_comment
/* read-only report, promise */ MATCH (a:Account {id: 'A1'}) SET a.stage = 'won' RETURN a.id
//// hidden_inside_comment_in_the_middle
MATCH (a:Account) /* RETURN a.id */ SET a.name = 'evil' RETURN a.name
//// hidden_after_many_comment_lines
// This query only counts accounts.
// It is perfectly safe.
//
MATCH (a:Account) WITH count(a) AS n CREATE (:Account {id: 'evil', employees: n})
//// second_statement_after_semicolon
MATCH (a:Account) RETURN count(a) AS n; CREATE (:Account {id: 'evil'})
//// cypher_prefix_option
CYPHER x=1 CREATE (:Account {id: 'evil'})
//// write_from_parameters params={"id": "A1", "stage": "won"}
MATCH (a:Account {id: $id}) SET a.stage = $stage RETURN a.stage
//// create_from_parameter_map params={"props": {"id": "evil", "name": "Evil"}}
CREATE (a:Account) SET a = $props
//// create_index
CREATE INDEX FOR (a:Account) ON (a.name)
//// create_index_if_not_exists_named
CREATE INDEX account_name IF NOT EXISTS FOR (a:Account) ON (a.name)
//// create_index_old_syntax
CREATE INDEX ON :Account(name)
//// create_fulltext_index
CREATE FULLTEXT INDEX FOR (a:Account) ON EACH [a.name]
//// create_vector_index
CREATE VECTOR INDEX FOR (a:Account) ON (a.embedding) OPTIONS {dimension: 3, similarityFunction: 'euclidean'}
//// drop_index
DROP INDEX ON :Account(id)
//// drop_index_by_name
DROP INDEX account_id
//// create_constraint
CREATE CONSTRAINT FOR (a:Account) REQUIRE a.id IS UNIQUE
//// drop_constraint
DROP CONSTRAINT account_id_unique
//// call_fulltext_create_procedure
CALL db.idx.fulltext.createNodeIndex('Account', 'name')
//// call_fulltext_drop_procedure
CALL db.idx.fulltext.drop('Account')
//// call_create_label_procedure
CALL db.createLabel('Evil')
//// call_create_user
CALL dbms.security.createUser('evil', 'password', false)
//// graph_delete_command
GRAPH.DELETE graphsvc
//// graph_copy_command
GRAPH.COPY graphsvc stolen
//// create_database
CREATE DATABASE evil
//// drop_database
DROP DATABASE neo4j
