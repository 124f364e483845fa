// The contacts among the given ids that exist, with their current account (null if none).
// @param ids LIST<STRING> contact ids
// @column id STRING
// @column account_id STRING
UNWIND $ids AS contact_id
MATCH (c:Contact {id: contact_id})
OPTIONAL MATCH (c)-[:WORKS_AT]->(a:Account)
RETURN c.id AS id, a.id AS account_id
