// Upsert CRM opportunities by id with their account (HAS_OPPORTUNITY) and contact (ON_OPPORTUNITY),
// as ONE statement. Only the fields present in a row's `props` are set; an opportunity moved to
// another account loses the old link. Re-sending a batch changes nothing.
// @param rows LIST<MAP> {id, account_id, contact_id, props}
// @param now FLOAT epoch seconds of the write
// @param batch STRING a token unique to this request: new nodes carry it
// @column created INTEGER opportunities that did not exist before
// @column total INTEGER opportunities in the batch
UNWIND $rows AS row
MERGE (o:Opportunity {id: row.id})
ON CREATE SET o.batch = $batch, o.created_at = $now
SET o += row.props, o.updated_at = $now
WITH o, row
OPTIONAL MATCH (o)<-[old:HAS_OPPORTUNITY]-(other:Account)
WHERE other.id <> row.account_id
DELETE old
WITH DISTINCT o, row
OPTIONAL MATCH (a:Account {id: row.account_id})
FOREACH (_ IN CASE WHEN a IS NULL THEN [] ELSE [1] END | MERGE (a)-[:HAS_OPPORTUNITY]->(o))
WITH o, row
OPTIONAL MATCH (c:Contact {id: row.contact_id})
FOREACH (_ IN CASE WHEN c IS NULL THEN [] ELSE [1] END | MERGE (c)-[:ON_OPPORTUNITY]->(o))
RETURN sum(CASE WHEN o.batch = $batch THEN 1 ELSE 0 END) AS created, count(o) AS total
