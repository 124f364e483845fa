// One removal per update (`clears`, applied one at a time): FalkorDB 4.16 removes the wrong
// properties when one update removes several (graphsvc.ingest.repository.one_removal_per_update).
// Upsert leads by id with their match outcome, creating the contacts matched leads need and
// linking each matched lead to its contact: ONE statement.
// @param contacts LIST<MAP> new contacts {id, props, account_id}
// @param rows LIST<MAP> {id, props (no nulls), clears (one {key: null} map per property to remove; absent: none), contact_id (null when unmatched)}
// @param now FLOAT epoch seconds of the write
// @param batch STRING a token unique to this request: new nodes carry it
// @column leads INTEGER leads written
UNWIND CASE WHEN size($contacts) = 0 THEN [null] ELSE $contacts END AS new
OPTIONAL MATCH (a:Account {id: new.account_id})
FOREACH (_ IN CASE WHEN a IS NULL THEN [] ELSE [1] END |
  MERGE (c:Contact {id: new.id})
  ON CREATE SET c.batch = $batch, c.created_at = $now, c.updated_at = $now, c.status = 'active'
  SET c += new.props
  MERGE (c)-[:WORKS_AT]->(a))
WITH count(*) AS phase
UNWIND $rows AS row
MERGE (l:Lead {id: row.id})
ON CREATE SET l.updated_at = $now
SET l += row.props
FOREACH (m IN coalesce(row.clears, []) | SET l += m)
WITH l, row
OPTIONAL MATCH (l)-[old:MATCHED_TO]->(:Contact)
DELETE old
WITH DISTINCT l, row
OPTIONAL MATCH (c:Contact {id: row.contact_id})
FOREACH (_ IN CASE WHEN c IS NULL THEN [] ELSE [1] END | MERGE (l)-[:MATCHED_TO]->(c))
RETURN count(l) AS leads
