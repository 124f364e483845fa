// Attach each contact to its account (WORKS_AT), replacing an older employer.
// @param rows LIST<MAP> {id, account_id}
UNWIND $rows AS row
MATCH (c:Contact {id: row.id})
OPTIONAL MATCH (c)-[old:WORKS_AT]->(:Account)
DELETE old
WITH DISTINCT c, row
MATCH (a:Account {id: row.account_id})
MERGE (c)-[:WORKS_AT]->(a)
RETURN count(c) AS linked
