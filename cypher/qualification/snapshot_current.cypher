// The three reads of qualification/snapshot_accounts, snapshot_contacts and snapshot_roles in one
// statement, for a few accounts (a readiness answer, a buying-center view): on Neo4j every
// statement has a fixed price of ~1.5-2.7 ms of CPU whatever it does (docs/benchmarks.md, "The
// contacts read without the walk"), which the three reads paid three times for one account. A full
// pass keeps the three reads, whose cost over pages of 500 is the measured one; this statement was
// measured for one account only (readiness: 13.5 -> 10.7 ms per request on Neo4j at 100k).
// Per contact the list of snapshot_contacts (qualification/snapshots.py CONTACT_FIELDS) followed by
// its roles, each [role, source, confidence, buying_group, group_kind, at] (snapshot_roles' columns).
// @param ids LIST<STRING> the accounts
// @param half_life_s FLOAT the ruleset's decay half-life in seconds
// @column account MAP the account's properties (as snapshot_accounts)
// @column ready BOOLEAN the aggregates were fully built for this half-life (as snapshot_accounts)
// @column contacts LIST<LIST> per contact: snapshot_contacts' list, then a list of its roles
UNWIND $ids AS account_id
MATCH (a:Account {id: account_id})
OPTIONAL MATCH (ix:EngagementIndex {id: 'engagement'})
OPTIONAL MATCH (c:Contact)-[:WORKS_AT]->(a)
OPTIONAL MATCH (c)-[:REPORTS_TO]->(m:Contact)
// Roles through OPTIONAL MATCH + collect, not a pattern comprehension: FalkorDB 4.16 returned
// null relationship properties from `[(c)-[r:MEMBER_OF]->(g) | r.role]` for MERGEd relationships.
OPTIONAL MATCH (c)-[r:MEMBER_OF]->(g:BuyingGroup)
WITH a, ix, c, m,
     collect(CASE WHEN r IS NULL THEN NULL ELSE [r.role, r.source, r.confidence, g.name, g.kind, r.at] END) AS roles
WITH a, ix,
     collect(CASE WHEN c IS NULL THEN NULL
             ELSE [c.id, c.email, c.first_name, c.last_name, c.title, c.seniority, c.department, c.status,
                   c.eng_types, c.eng_counts, c.eng_last, c.eng_weights, c.eng_half_life, m.id, roles] END) AS contacts
RETURN a {.id, .name, .domain, .industry, .employees, .annual_revenue, .country, .segment, .owner, .stage,
          .stage_since, .qualified_at, .qualified_until, .ruleset, .requalify_pending} AS account,
       coalesce(ix.built = true AND ix.half_life_s = $half_life_s, false) AS ready,
       contacts
