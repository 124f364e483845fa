// What the rules engine needs of each account at any as_of, replayed from every activity (the
// past-as_of path, and the fallback when the kept aggregates are not exact at as_of; the normal path
// is the snapshot_accounts/snapshot_contacts/snapshot_roles reads). In one query: the account, and per contact its
// profile, manager, buying roles and engagement aggregated per activity type up to $as_of
// (count, newest, and the decay weight sum of 0.5^(age / half-life) that makes decay exact).
// Stats come as four parallel lists [types, counts, newest, weights]: a tenth of the values to
// parse that maps would cost, which is most of a requalification's client time.
// @param ids LIST<STRING> the accounts
// @param as_of FLOAT epoch seconds; later activities are ignored
// @param half_life_s FLOAT the ruleset's decay half-life in seconds
// @column account MAP the account's properties
// @column contacts LIST<MAP> {contact, reports_to, roles, stats: [types, counts, newest, weights]}
UNWIND $ids AS account_id
MATCH (a:Account {id: account_id})
OPTIONAL MATCH (c:Contact)-[:WORKS_AT]->(a)
OPTIONAL MATCH (c)-[:PERFORMED]->(x:Activity)
WHERE x.at <= $as_of
WITH a, c, x.type AS type, count(x) AS n, max(x.at) AS last_at,
     sum(0.5 ^ (($as_of - x.at) / $half_life_s)) AS weight
WITH a, c, collect(type) AS types,
     collect(CASE WHEN type IS NULL THEN NULL ELSE n END) AS counts,
     collect(CASE WHEN type IS NULL THEN NULL ELSE last_at END) AS lasts,
     collect(CASE WHEN type IS NULL THEN NULL ELSE weight END) AS weights
// Roles through OPTIONAL MATCH + collect, not a pattern comprehension: FalkorDB 4.16 returned
// null relationship properties from `[(c)-[r:MEMBER_OF]->(g) | r.role]` for MERGEd relationships.
OPTIONAL MATCH (c)-[r:MEMBER_OF]->(g:BuyingGroup)
WITH a, c, types, counts, lasts, weights,
     collect(CASE WHEN r IS NULL THEN NULL
             ELSE {role: r.role, source: r.source, confidence: r.confidence, buying_group: g.name, group_kind: g.kind,
                   at: r.at} END) AS roles
OPTIONAL MATCH (c)-[:REPORTS_TO]->(m:Contact)
WITH a, c, types, counts, lasts, weights, roles, m.id AS reports_to
WITH a, collect(CASE WHEN c IS NULL THEN NULL
                ELSE {contact: c {.id, .email, .first_name, .last_name, .title, .seniority, .department, .status},
                      reports_to: reports_to, roles: roles, stats: [types, counts, lasts, weights]} END) AS contacts
RETURN a {.id, .name, .domain, .industry, .employees, .annual_revenue, .country, .segment, .owner, .stage,
          .stage_since, .qualified_at, .qualified_until, .ruleset, .requalify_pending} AS account, contacts
