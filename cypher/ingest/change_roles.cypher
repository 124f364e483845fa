// Sales removes and confirms buying roles of contacts: ONE statement (removals first). The
// contacts' accounts are marked `requalify_pending` in the same statement (see create_activities).
// Outbox: one roles_changed Event per contact of `events` whose roles really changed (a confirmed
// role, or a removal that found a role) and who works at an account, in this same statement, with
// the roles actually removed; seq from the locked EventSeq counter (see record_outcomes).
// @param remove LIST<MAP> {contact_id, role, group_id (null = every group)}
// @param confirm LIST<MAP> {contact_id, account_id, group_id, group_name, role, source, confidence}
// @param now FLOAT epoch seconds of the write
// @param batch STRING a token unique to this request (the pending mark)
// @param events LIST<MAP> = [] {contact_id, payload (JSON)}: one per contact the request changes
// @param actor STRING = null who changed the roles
// @column roles INTEGER roles confirmed
// @column events INTEGER events written
UNWIND CASE WHEN size($remove) = 0 THEN [null] ELSE $remove END AS gone
OPTIONAL MATCH (:Contact {id: gone.contact_id})-[m:MEMBER_OF {role: gone.role}]->(g:BuyingGroup)
WITH gone, m, g
WHERE m IS NULL OR gone.group_id IS NULL OR g.id = gone.group_id
WITH gone, m, m IS NOT NULL AS hit
DELETE m
WITH collect(CASE WHEN hit THEN {contact_id: gone.contact_id, role: gone.role} END) AS removed
UNWIND CASE WHEN size($confirm) = 0 THEN [null] ELSE $confirm END AS role
OPTIONAL MATCH (c:Contact {id: role.contact_id})
OPTIONAL MATCH (a:Account {id: role.account_id})
FOREACH (_ IN CASE WHEN c IS NULL OR a IS NULL THEN [] ELSE [1] END |
  MERGE (g:BuyingGroup {id: role.group_id})
  ON CREATE SET g.name = role.group_name
  MERGE (a)-[:HAS_BUYING_GROUP]->(g)
  MERGE (c)-[m:MEMBER_OF {role: role.role}]->(g)
  SET m.source = role.source, m.confidence = role.confidence, m.at = $now)
WITH removed, count(role) AS roles,
     collect(CASE WHEN c IS NOT NULL AND a IS NOT NULL THEN role.contact_id END) AS confirmed
UNWIND [x IN $remove | x.contact_id] + [x IN $confirm | x.contact_id] + [null] AS contact_id
OPTIONAL MATCH (:Contact {id: contact_id})-[:WORKS_AT]->(a:Account)
FOREACH (_ IN CASE WHEN a IS NULL THEN [] ELSE [1] END | SET a.requalify_pending = $batch)
WITH removed, roles, confirmed, count(*) AS phase
UNWIND $events + [null] AS ev
OPTIONAL MATCH (:Contact {id: ev.contact_id})-[:WORKS_AT]->(a:Account)
WITH roles, collect(CASE WHEN a IS NOT NULL AND (ev.contact_id IN confirmed
                                                 OR any(r IN removed WHERE r.contact_id = ev.contact_id))
                         THEN {account: a.id, owner: a.owner, payload: ev.payload,
                               removed: [r IN removed WHERE r.contact_id = ev.contact_id | r.role]} END) AS evs
MERGE (q:EventSeq {id: 'events'})
ON CREATE SET q.seq = 0
FOREACH (_ IN CASE WHEN size(evs) > 0 THEN [1] ELSE [] END | SET q.lock_ = true REMOVE q.lock_)
WITH roles, evs, q, q.seq AS base
FOREACH (_ IN CASE WHEN size(evs) > 0 THEN [1] ELSE [] END | SET q.seq = base + size(evs))
FOREACH (i IN range(0, size(evs) - 1) |
  CREATE (:Event {seq: base + 1 + i, type: 'roles_changed', account: evs[i].account, at: $now, actor: $actor,
                  owner: evs[i].owner, payload: evs[i].payload, removed: evs[i].removed}))
RETURN roles, size(evs) AS events
