// For each account, the contacts of every account below it (SUBSIDIARY_OF, up to $max_levels), with
// their engagement replayed from their activities up to $as_of and where they sit: what
// `[hierarchy] subsidiary_engagement = "roll_up"` counts towards the parent's MQA (issue 15). Read
// only under roll_up. A contact working at two subsidiaries comes twice; the engine counts it once.
// @param ids LIST<STRING> the parent accounts
// @param max_levels INTEGER levels to descend (1-5)
// @param as_of FLOAT epoch seconds; later activities are ignored
// @param half_life_s FLOAT the ruleset's decay half-life in seconds
// @column account_id STRING the parent
// @column contacts LIST<MAP> {contact, account_id, account_name, stats: [types, counts, newest, weights]}
UNWIND $ids AS account_id
MATCH down = (s:Account)-[:SUBSIDIARY_OF*1..5]->(:Account {id: account_id})
WHERE length(down) <= $max_levels
MATCH (c:Contact)-[:WORKS_AT]->(s)
WITH DISTINCT account_id, s, c
OPTIONAL MATCH (c)-[:PERFORMED]->(x:Activity)
WHERE x.at <= $as_of
WITH account_id, s, c, x.type AS type, count(x) AS n, max(x.at) AS last_at,
     sum(0.5 ^ (($as_of - x.at) / $half_life_s)) AS weight
WITH account_id, s, c, collect(type) AS types,
     collect(CASE WHEN type IS NULL THEN NULL ELSE n END) AS counts,
     collect(CASE WHEN type IS NULL THEN NULL ELSE last_at END) AS lasts,
     collect(CASE WHEN type IS NULL THEN NULL ELSE weight END) AS weights
RETURN account_id,
       collect({contact: c {.id, .email, .first_name, .last_name, .title, .seniority, .department, .status},
                account_id: s.id, account_name: s.name, stats: [types, counts, lasts, weights]}) AS contacts
