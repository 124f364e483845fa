// Merge contacts into a survivor, as ONE statement: the survivor takes every activity, buying role,
// reporting line (its own manager stays; it takes one only when it has none), lead and employer (when
// it has none) of the merged contacts, and the profile fields it lacks. Each merged id and email
// becomes an Alias of the survivor (aliases of a merged contact move to the survivor too), so ingest
// by an old id or email lands on it. The merge is recorded as a Merge node with its actor; the merged
// contacts are deleted. The survivor's engagement aggregates are recomputed from its activities for
// the index's half-life in the same statement (exactly what a rebuild writes: see
// qualification/engagement_rebuild), and every account involved is marked `requalify_pending`.
// A merged id that no longer exists is skipped, so a retried merge changes nothing.
// @param survivor STRING the contact that stays
// @param merged LIST<STRING> the contacts merged into it (never the survivor)
// @param merge_id STRING id of the Merge record
// @param actor STRING who merged
// @param reason STRING why (optional)
// @param now FLOAT epoch seconds of the merge
// @param batch STRING a token unique to this request (the pending mark)
// @column merged LIST<STRING> the contacts actually merged (empty: nothing was left to merge)
// @column accounts LIST<STRING> the accounts marked for requalification
MATCH (s:Contact {id: $survivor})
UNWIND $merged AS mid
MATCH (m:Contact {id: mid})
WHERE m.id <> s.id
SET s.first_name = coalesce(s.first_name, m.first_name), s.last_name = coalesce(s.last_name, m.last_name),
    s.title = coalesce(s.title, m.title), s.seniority = coalesce(s.seniority, m.seniority),
    s.department = coalesce(s.department, m.department), s.updated_at = $now
WITH s, collect(m) AS ms, collect(m.id) AS mids
// Activities.
UNWIND ms AS m
OPTIONAL MATCH (m)-[:PERFORMED]->(x:Activity)
FOREACH (_ IN CASE WHEN x IS NULL THEN [] ELSE [1] END | MERGE (s)-[:PERFORMED]->(x))
WITH s, ms, mids, count(*) AS phase
// Buying roles: a role the survivor already holds in a group keeps the better-sourced assignment.
UNWIND ms AS m
OPTIONAL MATCH (m)-[r:MEMBER_OF]->(g:BuyingGroup)
OPTIONAL MATCH (s)-[own:MEMBER_OF {role: r.role}]->(g)
WITH s, ms, mids, r, g, own,
     CASE r.source WHEN 'sales' THEN 3 WHEN 'import' THEN 2 ELSE 1 END AS rank_m,
     CASE own.source WHEN 'sales' THEN 3 WHEN 'import' THEN 2 ELSE 1 END AS rank_s
WITH s, ms, mids, r, g,
     r IS NOT NULL AND (own IS NULL OR rank_m > rank_s OR (rank_m = rank_s AND r.confidence > own.confidence)) AS take
FOREACH (_ IN CASE WHEN take THEN [1] ELSE [] END |
  MERGE (s)-[n:MEMBER_OF {role: r.role}]->(g)
  SET n.source = r.source, n.confidence = r.confidence, n.at = r.at)
WITH s, ms, mids, count(*) AS phase
// Reporting lines: people who reported to a merged contact report to the survivor; the survivor
// takes a merged contact's manager only when it has none (a line to a merged contact does not count).
UNWIND ms AS m
OPTIONAL MATCH (rep:Contact)-[:REPORTS_TO]->(m)
WHERE rep.id <> s.id AND NOT rep.id IN mids
FOREACH (_ IN CASE WHEN rep IS NULL THEN [] ELSE [1] END | MERGE (rep)-[:REPORTS_TO]->(s))
WITH s, ms, mids, count(*) AS phase
OPTIONAL MATCH (s)-[:REPORTS_TO]->(boss:Contact)
WHERE NOT boss.id IN mids
WITH s, ms, mids, count(boss) AS bosses
UNWIND ms AS m
OPTIONAL MATCH (m)-[:REPORTS_TO]->(up:Contact)
WHERE up.id <> s.id AND NOT up.id IN mids
WITH s, ms, mids, bosses, collect(up) AS ups
FOREACH (up IN CASE WHEN bosses = 0 AND size(ups) > 0 THEN [ups[0]] ELSE [] END | MERGE (s)-[:REPORTS_TO]->(up))
// Leads and aliases (the merged contacts' own aliases first, then their ids and emails).
WITH s, ms, mids
UNWIND ms AS m
OPTIONAL MATCH (l:Lead)-[:MATCHED_TO]->(m)
FOREACH (_ IN CASE WHEN l IS NULL THEN [] ELSE [1] END | MERGE (l)-[:MATCHED_TO]->(s))
WITH s, ms, mids, count(*) AS phase
UNWIND ms AS m
OPTIONAL MATCH (old:Alias)-[:ALIAS_OF]->(m)
FOREACH (_ IN CASE WHEN old IS NULL THEN [] ELSE [1] END | MERGE (old)-[:ALIAS_OF]->(s))
WITH s, ms, mids, count(*) AS phase
UNWIND ms AS m
MERGE (ida:Alias {key: 'contact:' + m.id})
ON CREATE SET ida.kind = 'contact', ida.at = $now
MERGE (ida)-[:ALIAS_OF]->(s)
FOREACH (_ IN CASE WHEN m.email IS NULL OR m.email = s.email THEN [] ELSE [1] END |
  MERGE (ea:Alias {key: 'email:' + m.email})
  ON CREATE SET ea.kind = 'email', ea.at = $now
  MERGE (ea)-[:ALIAS_OF]->(s))
WITH s, ms, mids, count(*) AS phase
// Employer: the survivor's own, else the first merged contact's; every account involved is marked.
OPTIONAL MATCH (s)-[:WORKS_AT]->(home:Account)
WITH s, ms, mids, collect(home) AS homes
UNWIND ms AS m
OPTIONAL MATCH (m)-[:WORKS_AT]->(a:Account)
WITH s, ms, mids, homes, collect(a) AS theirs
FOREACH (a IN CASE WHEN size(homes) = 0 AND size(theirs) > 0 THEN [theirs[0]] ELSE [] END | MERGE (s)-[:WORKS_AT]->(a))
FOREACH (a IN homes + theirs | SET a.requalify_pending = $batch)
CREATE (s)-[:MERGED]->(:Merge {id: $merge_id, kind: 'contact', survivor: s.id, merged: mids, at: $now,
                               actor: $actor, reason: $reason})
WITH s, ms, mids, [a IN homes + theirs | a.id] AS accounts
UNWIND ms AS m
DETACH DELETE m
WITH s, mids, accounts, count(*) AS phase
// The survivor's engagement aggregates from its activities, now including the merged ones.
OPTIONAL MATCH (ix:EngagementIndex {id: 'engagement'})
WITH s, mids, accounts, ix.half_life_s AS h
OPTIONAL MATCH (s)-[:PERFORMED]->(x:Activity)
WITH s, mids, accounts, h, x.type AS type, count(x) AS n, max(x.at) AS top, collect(x.at) AS ats
WITH s, mids, accounts, h, type, n, top,
     CASE WHEN h IS NULL THEN NULL ELSE reduce(w = 0.0, t IN ats | w + 0.5 ^ ((top - t) / h)) END AS w
WITH s, mids, accounts, h, collect(type) AS types, collect(CASE WHEN type IS NULL THEN NULL ELSE n END) AS counts,
     collect(CASE WHEN type IS NULL THEN NULL ELSE top END) AS lasts,
     collect(CASE WHEN type IS NULL THEN NULL ELSE w END) AS weights
// Removals one per update: FalkorDB 4.16 removes the wrong properties when one update removes
// several (graphsvc.ingest.repository.one_removal_per_update).
FOREACH (p IN CASE WHEN size(types) = 0 OR h IS NULL
                   THEN [{eng_half_life: h}, {eng_types: NULL}, {eng_counts: NULL}, {eng_last: NULL}, {eng_weights: NULL}]
                   ELSE [{eng_half_life: h, eng_types: types, eng_counts: counts, eng_last: lasts, eng_weights: weights}] END |
  SET s += p)
RETURN mids AS merged, accounts
