// What the rules engine needs of each account, in one query, from the engagement aggregates kept
// on each contact (see ingest/create_activities), not from the activities: the cost does not grow
// with history. Same columns as qualification/snapshots_history, plus `exact`: the aggregates give
// the from-history answer only if they were built for this half-life and none of them includes an
// activity later than $as_of (ingest accepts activities a few minutes in the future); when `exact`
// is false the caller reads that account from history instead.
// Each weight is the kept sum rescaled from its newest time to $as_of: W * 0.5^((as_of - last) / h).
// @param ids LIST<STRING> the accounts
// @param as_of FLOAT epoch seconds
// @param half_life_s FLOAT the ruleset's decay half-life in seconds
// @column account MAP the account's properties
// @column contacts LIST<MAP> {contact, reports_to, roles, stats: [types, counts, newest, weights]}
// @column exact BOOLEAN the stats equal the from-history aggregation at $as_of
UNWIND $ids AS account_id
MATCH (a:Account {id: account_id})
OPTIONAL MATCH (c:Contact)-[:WORKS_AT]->(a)
// Roles through OPTIONAL MATCH + collect, not a pattern comprehension: FalkorDB 4.16 returned
// null relationship properties from `[(c)-[r:MEMBER_OF]->(g) | r.role]` for MERGEd relationships.
OPTIONAL MATCH (c)-[r:MEMBER_OF]->(g:BuyingGroup)
WITH a, c,
     collect(CASE WHEN r IS NULL THEN NULL
             ELSE {role: r.role, source: r.source, confidence: r.confidence, buying_group: g.name, at: r.at} END) AS roles
OPTIONAL MATCH (c)-[:REPORTS_TO]->(m:Contact)
WITH a, c, roles, m.id AS reports_to, coalesce(c.eng_last, []) AS lasts, coalesce(c.eng_weights, []) AS ws
WITH a, c, roles, reports_to, lasts, ws,
     c.eng_types IS NULL OR (c.eng_half_life = $half_life_s AND all(t IN lasts WHERE t <= $as_of)) AS fits
WITH a,
     collect(CASE WHEN c IS NULL THEN NULL
             ELSE {contact: c {.id, .email, .first_name, .last_name, .title, .seniority, .department, .status},
                   reports_to: reports_to, roles: roles,
                   stats: [coalesce(c.eng_types, []), coalesce(c.eng_counts, []), lasts,
                           [i IN range(0, size(ws) - 1) | ws[i] * 0.5 ^ (($as_of - lasts[i]) / $half_life_s)]]} END) AS contacts,
     sum(CASE WHEN c IS NULL OR fits THEN 0 ELSE 1 END) AS unfit
// The index read last, so the query starts like snapshots_history (UNWIND ids, account by id):
// unmeasured precaution against a planner not using the id index after a leading MATCH.
OPTIONAL MATCH (ix:EngagementIndex {id: 'engagement'})
WITH a, contacts, unfit, coalesce(ix.built = true AND ix.half_life_s = $half_life_s, false) AS ready
RETURN a {.id, .name, .domain, .industry, .employees, .annual_revenue, .country, .segment, .stage,
          .stage_since, .qualified_at, .requalify_pending} AS account, contacts, ready AND unfit = 0 AS exact
