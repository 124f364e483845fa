// Accounts a write marked for requalification that has not run yet (the service died, the engine
// failed midway): drained at start and periodically, a page at a time.
// The mark is the writing batch's token, a string, so `>= ''` holds exactly for marked accounts; as
// a range it is served by the index on requalify_pending in both engines' schema (`IS NOT NULL`
// is not, on FalkorDB: that scanned every account for every drain, pending or not).
// The page is ordered by `a.id + ''`, not `a.id`: an expression no index provides, so Neo4j's
// planner cannot choose to walk the unique id index in order (reading accounts until it finds
// marked ones) and reads the marked accounts through the requalify_pending index, as FalkorDB
// does, then sorts those few (issue 10; tests/test_scale_plans.py checks both plans).
// @param after STRING = "" ids after this one (paging)
// @param limit INTEGER = 500 at most this many
// @column id STRING the account
MATCH (a:Account)
WHERE a.requalify_pending >= ''
WITH a.id + '' AS id
WHERE id > $after
RETURN id
ORDER BY id
LIMIT $limit
