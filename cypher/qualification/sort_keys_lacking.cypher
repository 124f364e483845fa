// One batch of the accounts whose board sort keys are missing (graphsvc/store/backfill.py, when the
// store opens): a fit_key, a since_key beside a stage_since, or a name_key beside a name; after $after
// in id order. The caller computes the name keys (graphsvc/store/sort_keys.py) and writes every key
// with qualification/sort_keys_set. toString(a.id), as backfill_stage_since says why.
// @param after STRING = "" only accounts whose id is greater than this
// @param batch INTEGER = 5000 accounts per batch
// @column id STRING
// @column name ANY the account's name (a name_key is made of it)
MATCH (a:Account)
WHERE (a.fit_key IS NULL OR (a.stage_since IS NOT NULL AND a.since_key IS NULL) OR (a.name IS NOT NULL AND a.name_key IS NULL))
  AND a.seq IS NOT NULL AND toString(a.id) > $after
WITH a
ORDER BY a.id
LIMIT $batch
RETURN a.id AS id, a.name AS name
