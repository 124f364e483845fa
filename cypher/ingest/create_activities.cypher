// Record activities, idempotent by id: an id seen before is left exactly as it was. New ones get
// this batch's token, which is how the response tells new rows from duplicates.
// The accounts they touch are marked `requalify_pending` in this same statement, so the
// requalification the write implies is as durable as the write: if the service or the engine dies
// before it runs, the mark stays until a requalification clears it (on the client's retry, which
// lists still-pending accounts of its rows as touched, at start, or in the periodic drain).
// @param rows LIST<MAP> {id, contact_id, type, at, channel, asset, campaign}
// @param batch STRING a token unique to this request
// @param now FLOAT epoch seconds of the write
// @column new INTEGER activities created by this batch
// @column duplicate INTEGER rows whose id already existed
// @column accounts LIST<STRING> accounts of the contacts that performed a new activity, or whose requalification is still pending
UNWIND $rows AS row
MATCH (c:Contact {id: row.contact_id})
MERGE (x:Activity {id: row.id})
ON CREATE SET x.type = row.type, x.at = row.at, x.channel = row.channel, x.batch = $batch, x.created_at = $now
WITH c, x, row, x.batch = $batch AS is_new
FOREACH (_ IN CASE WHEN is_new THEN [1] ELSE [] END |
  MERGE (c)-[:PERFORMED]->(x))
FOREACH (_ IN CASE WHEN is_new AND row.asset IS NOT NULL THEN [1] ELSE [] END |
  MERGE (s:Asset {id: row.asset})
  MERGE (x)-[:ON]->(s))
FOREACH (_ IN CASE WHEN is_new AND row.campaign IS NOT NULL THEN [1] ELSE [] END |
  MERGE (k:Campaign {id: row.campaign})
  MERGE (x)-[:PART_OF]->(k))
WITH c, is_new
OPTIONAL MATCH (c)-[:WORKS_AT]->(a:Account)
FOREACH (_ IN CASE WHEN is_new AND a IS NOT NULL THEN [1] ELSE [] END | SET a.requalify_pending = $batch)
RETURN sum(CASE WHEN is_new THEN 1 ELSE 0 END) AS new,
       sum(CASE WHEN is_new THEN 0 ELSE 1 END) AS duplicate,
       collect(DISTINCT CASE WHEN is_new OR a.requalify_pending IS NOT NULL THEN a.id END) AS accounts
