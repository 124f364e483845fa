// One batch of the one-time backfill of Account.stage_since (issue 10: the board by time in stage
// reads from a floor through its index, which holds no missing value; graphsvc/store/backfill.py
// runs it when the store opens). Only accounts that have none, after $after in id order, $batch of
// them. The value is the true one, derived, never made up: the newest StageChange (TRANSITIONED)
// into the account's current stage (no stage is `target`), else, for an account still in `target`,
// its created_at (it entered `target` when it was created). An account with neither keeps no
// stage_since (the board's floor statement finds it and the full read answers). Idempotent: a
// second run finds only the accounts it could not derive and changes nothing. The id is compared
// as toString(a.id), which no index serves: FalkorDB's range index drops bounds on strings (#2239).
// @param after STRING = "" only accounts whose id is greater than this (the previous batch's last)
// @param batch INTEGER = 1000 accounts per batch
// @column seen INTEGER accounts without stage_since in this batch
// @column derived INTEGER of which got a stage_since
// @column last STRING the batch's greatest id (null when the batch is empty)
MATCH (a:Account)
WHERE a.stage_since IS NULL AND toString(a.id) > $after
WITH a
ORDER BY a.id
LIMIT $batch
WITH a, coalesce(a.stage, 'target') AS stage
WITH a, stage, [(a)-[:TRANSITIONED]->(sc:StageChange) WHERE sc.to = stage AND sc.at IS NOT NULL | sc.at] AS entries
WITH a, reduce(newest = null, t IN entries | CASE WHEN newest IS NULL OR t > newest THEN t ELSE newest END) AS entered,
     stage
WITH a, coalesce(entered, CASE WHEN stage = 'target' THEN a.created_at END) AS since
SET a.stage_since = since
RETURN count(a) AS seen, count(since) AS derived, max(a.id) AS last
