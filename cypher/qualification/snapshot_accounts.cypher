// The accounts' own properties for their snapshots at as_of >= now, and whether the engagement
// aggregates kept on contacts were fully built for this half-life: the first of the three
// statements the service joins into one snapshot per account (snapshot_accounts, snapshot_contacts,
// snapshot_roles; see qualification/snapshots.py). Three reads instead of one statement with
// OPTIONAL MATCH fan-outs and nested collects of maps: building, sending and decoding the nested maps
// cost most of a requalification, not the traversals (measured: docs/benchmarks.md, "Scale").
// @param ids LIST<STRING> the accounts
// @param half_life_s FLOAT the ruleset's decay half-life in seconds
// @column account MAP the account's properties
// @column ready BOOLEAN the aggregates were fully built for this half-life (qualification/engagement_rebuild)
UNWIND $ids AS account_id
MATCH (a:Account {id: account_id})
// The index read after the account, so the query starts from the account id index.
OPTIONAL MATCH (ix:EngagementIndex {id: 'engagement'})
RETURN a {.id, .name, .domain, .industry, .employees, .annual_revenue, .country, .segment, .owner, .stage,
          .stage_since, .qualified_at, .qualified_until, .ruleset, .requalify_pending} AS account,
       coalesce(ix.built = true AND ix.half_life_s = $half_life_s, false) AS ready
