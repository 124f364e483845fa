// One account with its parent, subsidiaries and contact count.
// @param id STRING the account id
// @column account MAP the account's properties
// @column parent_id STRING the parent account, or null
// @column subsidiaries LIST<STRING> ids of its subsidiaries
// @column contacts INTEGER how many contacts work there
MATCH (a:Account {id: $id})
OPTIONAL MATCH (a)-[:SUBSIDIARY_OF]->(p:Account)
OPTIONAL MATCH (s:Account)-[:SUBSIDIARY_OF]->(a)
WITH a, p, collect(DISTINCT s.id) AS subsidiaries
OPTIONAL MATCH (c:Contact)-[:WORKS_AT]->(a)
RETURN properties(a) AS account, p.id AS parent_id, subsidiaries, count(c) AS contacts
