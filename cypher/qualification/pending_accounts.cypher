// Accounts a write marked for requalification that has not run yet (the service died, the engine
// failed midway): drained at start and periodically, a page at a time.
// @param after STRING = "" ids after this one (paging)
// @param limit INTEGER = 500 at most this many
// @column id STRING the account
MATCH (a:Account)
WHERE a.requalify_pending IS NOT NULL AND a.id > $after
RETURN a.id AS id
ORDER BY id
LIMIT $limit
