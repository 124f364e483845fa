// One removal per update (`clears`, applied one at a time): FalkorDB 4.16 removes the wrong
// properties when one update removes several (graphsvc.ingest.repository.one_removal_per_update).
// Upsert a batch of contacts by id with their employer (WORKS_AT), manager (REPORTS_TO) and buying
// roles, as ONE statement: phases are joined by `WITH count(*)`-style aggregations, so every
// contact of the batch exists before any REPORTS_TO or role refers to it. A row's account replaces
// an older employer (a null account_id removes it); a manager line replaces an older one (only
// contacts that existed before can have one: `existing`); a null reports_to removes the line.
// A role already held in a group is updated, never duplicated. The former and the new account of a
// contact that existed before are marked `requalify_pending` in the same statement (an updated
// contact can change their qualification; a new one has no activity yet).
// @param rows LIST<MAP> {id, props (no nulls), clears (one {key: null} map per property to remove; absent: none), account_id}
// @param existing LIST<STRING> ids of the batch's contacts that existed before it
// @param managers LIST<MAP> {id, reports_to}
// @param roles LIST<MAP> {contact_id, account_id, group_id, group_name, role, source, confidence}
// @param now FLOAT epoch seconds of the write
// @param batch STRING a token unique to this request: new nodes carry it
// @column created INTEGER contacts that did not exist before
// @column total INTEGER contacts in the batch
UNWIND $rows AS row
MERGE (c:Contact {id: row.id})
ON CREATE SET c.batch = $batch, c.created_at = $now, c.updated_at = $now, c.status = 'active'
SET c += row.props
FOREACH (m IN coalesce(row.clears, []) | SET c += m)
WITH c, row
OPTIONAL MATCH (c)-[old:WORKS_AT]->(other:Account)
WHERE row.account_id IS NULL OR other.id <> row.account_id
FOREACH (_ IN CASE WHEN other IS NOT NULL AND row.id IN $existing THEN [1] ELSE [] END |
  SET other.requalify_pending = $batch)
DELETE old
WITH DISTINCT c, row
OPTIONAL MATCH (a:Account {id: row.account_id})
FOREACH (_ IN CASE WHEN a IS NULL THEN [] ELSE [1] END | MERGE (c)-[:WORKS_AT]->(a))
FOREACH (_ IN CASE WHEN a IS NOT NULL AND row.id IN $existing THEN [1] ELSE [] END |
  SET a.requalify_pending = $batch)
WITH sum(CASE WHEN c.batch = $batch THEN 1 ELSE 0 END) AS created, count(*) AS total
UNWIND CASE WHEN size($managers) = 0 THEN [null] ELSE $managers END AS line
OPTIONAL MATCH (:Contact {id: line.id})-[old:REPORTS_TO]->(:Contact)
WHERE line.id IN $existing
DELETE old
WITH DISTINCT created, total, line
OPTIONAL MATCH (c:Contact {id: line.id})
OPTIONAL MATCH (m:Contact {id: line.reports_to})
FOREACH (_ IN CASE WHEN c IS NULL OR m IS NULL THEN [] ELSE [1] END | MERGE (c)-[:REPORTS_TO]->(m))
WITH created, total, count(*) AS phase
UNWIND CASE WHEN size($roles) = 0 THEN [null] ELSE $roles END AS role
OPTIONAL MATCH (c:Contact {id: role.contact_id})
OPTIONAL MATCH (a:Account {id: role.account_id})
FOREACH (_ IN CASE WHEN c IS NULL OR a IS NULL THEN [] ELSE [1] END |
  MERGE (g:BuyingGroup {id: role.group_id})
  ON CREATE SET g.name = role.group_name
  MERGE (a)-[:HAS_BUYING_GROUP]->(g)
  MERGE (c)-[m:MEMBER_OF {role: role.role}]->(g)
  SET m.source = role.source, m.confidence = role.confidence, m.at = $now)
WITH created, total, count(*) AS phase
RETURN created, total
