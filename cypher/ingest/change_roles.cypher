// Sales removes and confirms buying roles of contacts: ONE statement (removals first). The
// contacts' accounts are marked `requalify_pending` in the same statement (see create_activities).
// @param remove LIST<MAP> {contact_id, role, group_id (null = every group)}
// @param confirm LIST<MAP> {contact_id, account_id, group_id, group_name, role, source, confidence}
// @param now FLOAT epoch seconds of the write
// @param batch STRING a token unique to this request (the pending mark)
// @column roles INTEGER roles confirmed
UNWIND CASE WHEN size($remove) = 0 THEN [null] ELSE $remove END AS gone
OPTIONAL MATCH (:Contact {id: gone.contact_id})-[m:MEMBER_OF {role: gone.role}]->(g:BuyingGroup)
WITH gone, m, g
WHERE m IS NULL OR gone.group_id IS NULL OR g.id = gone.group_id
DELETE m
WITH count(*) AS phase
UNWIND CASE WHEN size($confirm) = 0 THEN [null] ELSE $confirm END AS role
OPTIONAL MATCH (c:Contact {id: role.contact_id})
OPTIONAL MATCH (a:Account {id: role.account_id})
FOREACH (_ IN CASE WHEN c IS NULL OR a IS NULL THEN [] ELSE [1] END |
  MERGE (g:BuyingGroup {id: role.group_id})
  ON CREATE SET g.name = role.group_name
  MERGE (a)-[:HAS_BUYING_GROUP]->(g)
  MERGE (c)-[m:MEMBER_OF {role: role.role}]->(g)
  SET m.source = role.source, m.confidence = role.confidence, m.at = $now)
WITH count(role) AS roles
UNWIND [x IN $remove | x.contact_id] + [x IN $confirm | x.contact_id] + [null] AS contact_id
OPTIONAL MATCH (:Contact {id: contact_id})-[:WORKS_AT]->(a:Account)
FOREACH (_ IN CASE WHEN a IS NULL THEN [] ELSE [1] END | SET a.requalify_pending = $batch)
WITH roles, count(*) AS phase
RETURN roles
