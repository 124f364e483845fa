// Remove every node and relationship (tests against a shared Neo4j, `graphsvc reset`).
// @column deleted INTEGER nodes removed
MATCH (n)
DETACH DELETE n
RETURN count(*) AS deleted
