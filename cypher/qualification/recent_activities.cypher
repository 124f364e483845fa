// The newest activities of an account's contacts up to $as_of (readiness names the top ones).
// Sorted and cut before the asset and campaign are looked up, so only kept rows pay for them.
// @param id STRING the account
// @param as_of FLOAT epoch seconds
// @param limit INTEGER = 50 how many, newest first
// @column id STRING
// @column contact_id STRING
// @column type STRING
// @column at FLOAT
// @column asset STRING
// @column campaign STRING
MATCH (:Account {id: $id})<-[:WORKS_AT]-(c:Contact)-[:PERFORMED]->(x:Activity)
WHERE x.at <= $as_of
WITH c, x
ORDER BY x.at DESC, x.id
LIMIT $limit
OPTIONAL MATCH (x)-[:ON]->(s:Asset)
OPTIONAL MATCH (x)-[:PART_OF]->(k:Campaign)
RETURN x.id AS id, c.id AS contact_id, x.type AS type, x.at AS at, s.id AS asset, k.id AS campaign
ORDER BY at DESC, id
