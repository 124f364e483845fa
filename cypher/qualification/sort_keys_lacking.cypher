// One batch of the accounts whose board sort keys are missing (graphsvc/store/backfill.py, when the
// store opens): a fit_key, a since_key beside a stage_since, or a name_key beside a name; after $after
// in the order of toString(id). The caller computes the name keys (graphsvc/store/sort_keys.py) and writes every key
// with qualification/sort_keys_set. The cursor is toString(a.id), in that order (an account whose name
// is not a string keeps no name_key and is passed over, not read again; an id of another type than a
// string sorts as its string): FalkorDB's range index drops bounds on strings (#2239) anyway.
// @param after STRING = "" only accounts whose toString(id) is greater than this (the last batch's `after`)
// @param batch INTEGER = 5000 accounts per batch
// @column id ANY
// @column after STRING toString(id): the next batch's cursor
// @column name ANY the account's name (a name_key is made of it)
MATCH (a:Account)
WHERE (a.fit_key IS NULL OR (a.stage_since IS NOT NULL AND a.since_key IS NULL) OR (a.name IS NOT NULL AND a.name_key IS NULL))
  AND a.seq IS NOT NULL AND toString(a.id) > $after
WITH a, toString(a.id) AS after
ORDER BY after
LIMIT $batch
RETURN a.id AS id, after, a.name AS name
