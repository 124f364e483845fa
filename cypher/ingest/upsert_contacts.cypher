// Upsert a batch of contacts by id with their employer (WORKS_AT), manager (REPORTS_TO) and buying
// roles, as ONE statement: phases are joined by `WITH count(*)`, so every contact of the batch
// exists before any link to it is made. A link row replaces an older employer or manager (only
// contacts that existed before can have one: `existing`); a null reports_to removes the line.
// A role already held in a group is updated, never duplicated.
// @param rows LIST<MAP> {id, props}
// @param existing LIST<STRING> ids of the batch's contacts that existed before it
// @param accounts LIST<MAP> {id, account_id}
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
WITH count(*) AS phase
UNWIND CASE WHEN size($existing) = 0 THEN [null] ELSE $existing END AS known
OPTIONAL MATCH (:Contact {id: known})-[old:WORKS_AT]->(:Account)
DELETE old
WITH count(*) AS phase
UNWIND CASE WHEN size($accounts) = 0 THEN [null] ELSE $accounts END AS link
OPTIONAL MATCH (c:Contact {id: link.id})
OPTIONAL MATCH (a:Account {id: link.account_id})
FOREACH (_ IN CASE WHEN c IS NULL OR a IS NULL THEN [] ELSE [1] END | MERGE (c)-[:WORKS_AT]->(a))
WITH count(*) AS phase
UNWIND CASE WHEN size($managers) = 0 THEN [null] ELSE $managers END AS line
OPTIONAL MATCH (:Contact {id: line.id})-[old:REPORTS_TO]->(:Contact)
WHERE line.id IN $existing
DELETE old
WITH DISTINCT line
OPTIONAL MATCH (c:Contact {id: line.id})
OPTIONAL MATCH (m:Contact {id: line.reports_to})
FOREACH (_ IN CASE WHEN c IS NULL OR m IS NULL THEN [] ELSE [1] END | MERGE (c)-[:REPORTS_TO]->(m))
WITH count(*) AS phase
UNWIND CASE WHEN size($roles) = 0 THEN [null] ELSE $roles END AS role
OPTIONAL MATCH (c:Contact {id: role.contact_id})
OPTIONAL MATCH (a:Account {id: role.account_id})
FOREACH (_ IN CASE WHEN c IS NULL OR a IS NULL THEN [] ELSE [1] END |
  MERGE (g:BuyingGroup {id: role.group_id})
  ON CREATE SET g.name = role.group_name
  MERGE (a)-[:HAS_BUYING_GROUP]->(g)
  MERGE (c)-[m:MEMBER_OF {role: role.role}]->(g)
  SET m.source = role.source, m.confidence = role.confidence, m.at = $now)
WITH count(*) AS phase
UNWIND $rows AS row
MATCH (c:Contact {id: row.id})
RETURN sum(CASE WHEN c.batch = $batch THEN 1 ELSE 0 END) AS created, count(c) AS total
