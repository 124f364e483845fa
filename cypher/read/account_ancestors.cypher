// The stored parent links (SUBSIDIARY_OF) of the given accounts and of every account above them:
// what ingest needs to refuse a parent link that would close a loop through stored accounts.
// Variable-length matching never uses a relationship twice in one path, so it ends even on a loop
// stored before cycles were refused.
// @param ids LIST<STRING> accounts to start from (the parents a batch names)
// @column id STRING an account on a chain above one of `ids` (or one of `ids`)
// @column parent_id STRING its stored parent, or null
UNWIND $ids AS start
MATCH (:Account {id: start})-[:SUBSIDIARY_OF*0..]->(x:Account)
WITH DISTINCT x
OPTIONAL MATCH (x)-[:SUBSIDIARY_OF]->(p:Account)
RETURN x.id AS id, p.id AS parent_id
