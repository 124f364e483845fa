// One removal per update (`clears`, applied one at a time): FalkorDB 4.16 removes the wrong
// properties when one update removes several (graphsvc.ingest.repository.one_removal_per_update).
// Upsert a batch of accounts by id, then their parent links, as ONE statement (FalkorDB has no
// multi-statement transactions, and MULTI/EXEC of graph queries does not replay from its AOF).
// New accounts start in stage `target` with a default buying group. Only the fields present in
// each row's `props` are set (an explicit null removes one); the caller puts `name_key` beside a
// `name` (graphsvc.store.sort_keys.with_name_keys). A null parent_id removes the link.
// @param rows LIST<MAP> one map per account: {id, props (no nulls), clears (one {key: null} map per property to remove; absent: none)}
// @param parents LIST<MAP> {id, parent_id} for every row that carried a parent_id key
// @param now FLOAT epoch seconds of the write
// @param batch STRING a token unique to this request: new nodes carry it
// @column created INTEGER accounts that did not exist before
// @column total INTEGER accounts in the batch
UNWIND $rows AS row
MERGE (a:Account {id: row.id})
ON CREATE SET a.batch = $batch, a.stage = 'target', a.stage_since = $now, a.created_at = $now, a.updated_at = $now
SET a += row.props
FOREACH (m IN coalesce(row.clears, []) | SET a += m)
MERGE (g:BuyingGroup {id: row.id + ':default'})
ON CREATE SET g.name = 'default'
MERGE (a)-[:HAS_BUYING_GROUP]->(g)
WITH count(*) AS phase
UNWIND CASE WHEN size($parents) = 0 THEN [null] ELSE $parents END AS link
OPTIONAL MATCH (:Account {id: link.id})-[old:SUBSIDIARY_OF]->(:Account)
DELETE old
WITH DISTINCT link
OPTIONAL MATCH (a:Account {id: link.id})
OPTIONAL MATCH (p:Account {id: link.parent_id})
FOREACH (_ IN CASE WHEN a IS NULL OR p IS NULL THEN [] ELSE [1] END | MERGE (a)-[:SUBSIDIARY_OF]->(p))
WITH count(*) AS phase
UNWIND $rows AS row
MATCH (a:Account {id: row.id})
// Issue 10, the board's sort keys (graphsvc/store/sort_keys.py): each new account (or one without a
// creation number) takes the next `seq` from the AccountSeq counter, locked before it is read as
// record_outcomes locks EventSeq (on Neo4j a second upsert waits for this one to commit), and its
// fit_key and since_key from it. Only a batch with such an account takes the lock, and last: every
// other lock of this statement (its accounts, their parents) is taken before, so two upserts cannot
// each hold an account the other waits for while one waits for the counter.
WITH collect(DISTINCT CASE WHEN a.seq IS NULL THEN a END) AS fresh,
     sum(CASE WHEN a.batch = $batch THEN 1 ELSE 0 END) AS created, count(a) AS total
MERGE (q:AccountSeq {id: 'accounts'})
ON CREATE SET q.seq = 0
FOREACH (_ IN CASE WHEN size(fresh) > 0 THEN [1] ELSE [] END | SET q.lock_ = true REMOVE q.lock_)
WITH fresh, created, total, q, q.seq AS base
FOREACH (_ IN CASE WHEN size(fresh) > 0 THEN [1] ELSE [] END | SET q.seq = base + size(fresh))
FOREACH (i IN range(0, size(fresh) - 1) |
  FOREACH (a IN [fresh[i]] |
    SET a.seq = base + 1 + i,
        a.fit_key = toInteger(floor(coalesce(a.fit, 0) * 10000)) * 4194304 + (base + 1 + i) % 4194304,
        a.since_key = CASE WHEN a.stage_since IS NULL THEN null ELSE (CASE WHEN (a.stage_since - 1577836800.0) * 1000 > 1099511627775 THEN 1099511627775 WHEN (a.stage_since - 1577836800.0) * 1000 < -1099511627775 THEN -1099511627775 ELSE toInteger(floor((a.stage_since - 1577836800.0) * 1000)) END) * 4194304 + (base + 1 + i) % 4194304 END))
RETURN created, total
