// Point each account at its parent (SUBSIDIARY_OF), replacing an older parent; a null parent_id
// removes the link. Runs after upsert_accounts in the same transaction.
// @param rows LIST<MAP> {id, parent_id} for every row that carried a parent_id key
UNWIND $rows AS row
MATCH (a:Account {id: row.id})
OPTIONAL MATCH (a)-[old:SUBSIDIARY_OF]->(:Account)
DELETE old
WITH DISTINCT a, row
WHERE row.parent_id IS NOT NULL
MATCH (p:Account {id: row.parent_id})
MERGE (a)-[:SUBSIDIARY_OF]->(p)
RETURN count(a) AS linked
