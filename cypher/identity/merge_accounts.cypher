// Merge accounts into a survivor, as ONE statement: the survivor takes every contact (with their
// activities, leads and reporting lines, which stay on the contacts), every buying role (each merged
// group becomes the survivor's group of the same name: `<survivor>:<slug>`), every subsidiary, every
// stage change (marked `merged_from`, so the history tells them apart) and the firmographic fields it
// lacks; its parent becomes $parent_id (decided by the caller, who refuses loops). Each merged id
// becomes an Alias of the survivor (their own aliases move to it), the merge is recorded as a Merge
// node with its actor, the merged accounts and their groups are deleted, and the survivor is marked
// `requalify_pending`. Engagement is kept per contact, so moving contacts keeps the aggregates
// exact. A merged id that no longer exists is skipped, so a retried merge changes nothing.
// @param survivor STRING the account that stays
// @param merged LIST<STRING> the accounts merged into it (never the survivor)
// @param parent_id STRING the survivor's parent after the merge, or null for none
// @param merge_id STRING id of the Merge record
// @param actor STRING who merged
// @param reason STRING why (optional)
// @param now FLOAT epoch seconds of the merge
// @param batch STRING a token unique to this request (the pending mark)
// @column merged LIST<STRING> the accounts actually merged (empty: nothing was left to merge)
MATCH (s:Account {id: $survivor})
UNWIND $merged AS mid
MATCH (m:Account {id: mid})
WHERE m.id <> s.id
// name_key (the board's sort key for the name, graphsvc/store/sort_keys.py) goes with the name; set
// first, while s.name is still the survivor's own.
SET s.name_key = CASE WHEN s.name IS NULL THEN m.name_key ELSE s.name_key END,
    s.name = coalesce(s.name, m.name), s.domain = coalesce(s.domain, m.domain),
    s.industry = coalesce(s.industry, m.industry), s.employees = coalesce(s.employees, m.employees),
    s.annual_revenue = coalesce(s.annual_revenue, m.annual_revenue), s.country = coalesce(s.country, m.country),
    s.segment = coalesce(s.segment, m.segment), s.owner = coalesce(s.owner, m.owner),
    s.updated_at = $now, s.requalify_pending = $batch
WITH s, collect(m) AS ms, collect(m.id) AS mids
// Contacts.
UNWIND ms AS m
OPTIONAL MATCH (c:Contact)-[:WORKS_AT]->(m)
FOREACH (_ IN CASE WHEN c IS NULL THEN [] ELSE [1] END | MERGE (c)-[:WORKS_AT]->(s))
WITH s, ms, mids, count(*) AS phase
// Buying roles, group by group.
UNWIND ms AS m
OPTIONAL MATCH (m)-[:HAS_BUYING_GROUP]->(g:BuyingGroup)
OPTIONAL MATCH (c:Contact)-[r:MEMBER_OF]->(g)
FOREACH (_ IN CASE WHEN r IS NULL THEN [] ELSE [1] END |
  MERGE (t:BuyingGroup {id: s.id + substring(g.id, size(m.id))})
  ON CREATE SET t.name = g.name
  SET t.kind = coalesce(t.kind, g.kind)
  MERGE (s)-[:HAS_BUYING_GROUP]->(t)
  MERGE (c)-[n:MEMBER_OF {role: r.role}]->(t)
  ON CREATE SET n.source = r.source, n.confidence = r.confidence, n.at = r.at)
WITH s, ms, mids, count(*) AS phase
// Subsidiaries, stage changes and aliases.
UNWIND ms AS m
OPTIONAL MATCH (x:Account)-[:SUBSIDIARY_OF]->(m)
WHERE x.id <> s.id AND NOT x.id IN mids
FOREACH (_ IN CASE WHEN x IS NULL THEN [] ELSE [1] END | MERGE (x)-[:SUBSIDIARY_OF]->(s))
WITH s, ms, mids, count(*) AS phase
UNWIND ms AS m
OPTIONAL MATCH (m)-[:TRANSITIONED]->(sc:StageChange)
FOREACH (_ IN CASE WHEN sc IS NULL THEN [] ELSE [1] END |
  MERGE (s)-[:TRANSITIONED]->(sc)
  SET sc.merged_from = coalesce(sc.merged_from, m.id))
WITH s, ms, mids, count(*) AS phase
UNWIND ms AS m
OPTIONAL MATCH (old:Alias)-[:ALIAS_OF]->(m)
FOREACH (_ IN CASE WHEN old IS NULL THEN [] ELSE [1] END | MERGE (old)-[:ALIAS_OF]->(s))
WITH s, ms, mids, count(*) AS phase
UNWIND ms AS m
MERGE (ida:Alias {key: 'account:' + m.id})
ON CREATE SET ida.kind = 'account', ida.at = $now
MERGE (ida)-[:ALIAS_OF]->(s)
WITH s, ms, mids, count(*) AS phase
// The survivor's parent, as decided by the caller.
OPTIONAL MATCH (s)-[up:SUBSIDIARY_OF]->(:Account)
DELETE up
WITH DISTINCT s, ms, mids
OPTIONAL MATCH (p:Account {id: $parent_id})
FOREACH (_ IN CASE WHEN p IS NULL OR p.id = s.id THEN [] ELSE [1] END | MERGE (s)-[:SUBSIDIARY_OF]->(p))
CREATE (s)-[:MERGED]->(:Merge {id: $merge_id, kind: 'account', survivor: s.id, merged: mids, at: $now,
                               actor: $actor, reason: $reason})
WITH s, ms, mids
UNWIND ms AS m
OPTIONAL MATCH (m)-[:HAS_BUYING_GROUP]->(g:BuyingGroup)
DETACH DELETE g
WITH DISTINCT s, m, mids
DETACH DELETE m
WITH mids, count(*) AS phase
RETURN mids AS merged
