// Accounts a write marked for requalification that has not run yet (the service died, the engine
// failed midway): drained at start and periodically, a page at a time.
// The mark is the writing batch's token, a string, so `>= ''` holds exactly for marked accounts; as
// a range it is served by the index on requalify_pending in both engines' schema (`IS NOT NULL`
// is not, on FalkorDB: that scanned every account for every drain, pending or not).
// @param after STRING = "" ids after this one (paging)
// @param limit INTEGER = 500 at most this many
// @column id STRING the account
MATCH (a:Account)
WHERE a.requalify_pending >= '' AND a.id > $after
RETURN a.id AS id
ORDER BY id
LIMIT $limit
