// Read statements the /v1/cypher tests use (blocks as in write_corpus.cypher).
//// snapshot_nodes
MATCH (n) RETURN labels(n) AS labels, properties(n) AS props
//// snapshot_relationships
MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS type, properties(r) AS props, b.id AS b
//// indexes_falkordb
CALL db.indexes() YIELD label, properties RETURN label, properties
//// indexes_neo4j
SHOW INDEXES YIELD name, labelsOrTypes, properties RETURN name, labelsOrTypes, properties
//// heavy
UNWIND range(1, 100000) AS x UNWIND range(1, 100000) AS y RETURN count(*) AS n
//// twenty_rows
UNWIND range(1, 20) AS i RETURN i
//// entities
MATCH p = (a:Account {id: 'A1'})-[r:TRANSITIONED]->(s:StageChange {to: 'engaged'}) RETURN a, r, s, p
//// by_parameter params={"id": "A3"}
MATCH (a:Account {id: $id}) RETURN a.name AS name, a.missing_roles AS missing
//// parameter_value_cannot_escape params={"id": "A1\"}) SET a.stage = 'won' RETURN 1 //"}
MATCH (a:Account {id: $id}) RETURN a.id AS id
//// syntax_error
MATCH (a:Account RETURN a
//// stuck_mqas_by_hand
MATCH (a:Account) WHERE a.stage = 'mqa' RETURN a.id AS id ORDER BY id
