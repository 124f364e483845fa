// Upsert a batch of accounts by id. New accounts start in stage `target` with a default buying
// group. Only the fields present in each row's `props` are set (an explicit null removes one).
// @param rows LIST<MAP> one map per account: {id, props}
// @param now FLOAT epoch seconds of the write
// @param batch STRING a token unique to this request: new nodes carry it
// @column created INTEGER accounts that did not exist before
// @column total INTEGER accounts in the batch
UNWIND $rows AS row
MERGE (a:Account {id: row.id})
ON CREATE SET a.batch = $batch, a.stage = 'target', a.stage_since = $now, a.created_at = $now, a.updated_at = $now
SET a += row.props
MERGE (g:BuyingGroup {id: row.id + ':default'})
ON CREATE SET g.name = 'default'
MERGE (a)-[:HAS_BUYING_GROUP]->(g)
RETURN sum(CASE WHEN a.batch = $batch THEN 1 ELSE 0 END) AS created, count(a) AS total
