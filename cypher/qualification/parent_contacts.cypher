// For each account, the contacts of the accounts above it (SUBSIDIARY_OF, up to $max_levels) that
// hold a recorded (not inferred) role the ruleset lets a parent's people cover for a subsidiary
// (`hierarchy.parent_roles`), with the same fields as a snapshot's contacts plus where they sit.
// Read only when the ruleset names such roles. Engagement replayed from their activities up to $as_of.
// @param ids LIST<STRING> the accounts
// @param roles LIST<STRING> hierarchy.parent_roles
// @param max_levels INTEGER parents to climb (1-5)
// @param as_of FLOAT epoch seconds; later activities are ignored
// @param half_life_s FLOAT the ruleset's decay half-life in seconds
// @column account_id STRING the subsidiary
// @column contacts LIST<MAP> {contact, account_id, account_name, reports_to, roles, stats: [types, counts, newest, weights]}
UNWIND $ids AS account_id
MATCH up = (:Account {id: account_id})-[:SUBSIDIARY_OF*1..5]->(p:Account)
WHERE length(up) <= $max_levels
MATCH (c:Contact)-[:WORKS_AT]->(p)
MATCH (c)-[held:MEMBER_OF]->(:BuyingGroup)
WHERE held.role IN $roles AND held.source <> 'inferred'
WITH DISTINCT account_id, p, c
OPTIONAL MATCH (c)-[:PERFORMED]->(x:Activity)
WHERE x.at <= $as_of
WITH account_id, p, c, x.type AS type, count(x) AS n, max(x.at) AS last_at,
     sum(0.5 ^ (($as_of - x.at) / $half_life_s)) AS weight
WITH account_id, p, c, collect(type) AS types,
     collect(CASE WHEN type IS NULL THEN NULL ELSE n END) AS counts,
     collect(CASE WHEN type IS NULL THEN NULL ELSE last_at END) AS lasts,
     collect(CASE WHEN type IS NULL THEN NULL ELSE weight END) AS weights
MATCH (c)-[r:MEMBER_OF]->(g:BuyingGroup)
WHERE r.role IN $roles AND r.source <> 'inferred'
WITH account_id, p, c, types, counts, lasts, weights,
     collect({role: r.role, source: r.source, confidence: r.confidence, buying_group: g.name, at: r.at}) AS roles
OPTIONAL MATCH (c)-[:REPORTS_TO]->(m:Contact)
RETURN account_id,
       collect({contact: c {.id, .email, .first_name, .last_name, .title, .seniority, .department, .status},
                account_id: p.id, account_name: p.name, reports_to: m.id, roles: roles, stats: [types, counts, lasts, weights]}) AS contacts
