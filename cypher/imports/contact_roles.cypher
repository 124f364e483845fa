// The employer and the buying roles held of contacts (any group of that account, any source): what
// an import's roles are compared with, so only roles a contact does not hold yet are set, and a
// re-import sets nothing and writes no event.
// @param ids LIST<STRING> contact ids
// @column id STRING
// @column account_id STRING the contact's employer (null: none)
// @column roles LIST<STRING> roles held in the employer's buying groups
UNWIND $ids AS cid
MATCH (c:Contact {id: cid})
OPTIONAL MATCH (c)-[:WORKS_AT]->(a:Account)
OPTIONAL MATCH (c)-[m:MEMBER_OF]->(:BuyingGroup)<-[:HAS_BUYING_GROUP]-(a)
WITH cid, a, collect(DISTINCT m.role) AS roles
RETURN cid AS id, a.id AS account_id, roles
