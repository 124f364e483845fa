// The stage each account had at a past moment, from its recorded stage changes (what-if simulation
// and backtests at a past as_of: the engine must start from the stage the account had then, not
// today's). Every change at or before $as_of comes back; the caller keeps the newest (by at, id),
// so the answer does not depend on either engine keeping the order of a collect.
// @param ids LIST<STRING> the accounts
// @param as_of FLOAT epoch seconds
// @column id STRING the account
// @column changes LIST<MAP> {id, to, at} every stage change at or before $as_of
UNWIND $ids AS account_id
MATCH (a:Account {id: account_id})
OPTIONAL MATCH (a)-[:TRANSITIONED]->(s:StageChange)
WHERE s.at <= $as_of
RETURN a.id AS id, collect(CASE WHEN s IS NULL THEN NULL ELSE {id: s.id, to: s.to, at: s.at} END) AS changes
