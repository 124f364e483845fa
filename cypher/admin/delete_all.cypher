// Remove up to $batch nodes with their relationships; GraphStore.delete_all repeats it until a
// call deletes nothing. Batched so that clearing a large graph never holds it all in one
// transaction (Neo4j keeps a transaction's changes in memory). Tests and benchmarks use it.
// @param batch INTEGER = 10000 nodes per transaction
// @column deleted INTEGER nodes removed by this call
MATCH (n)
WITH n LIMIT $batch
DETACH DELETE n
RETURN count(*) AS deleted
