// Write the board's sort keys of these accounts (graphsvc/store/sort_keys.py) from what they hold:
// fit_key from the fit and seq, since_key from stage_since and seq, name_key as the caller computed
// it from the name it read (qualification/sort_keys_lacking). The expressions are the ones every
// writing statement uses (ingest/upsert_accounts, qualification/record_outcomes, ...).
// @param rows LIST<MAP> {id, name_key (null: the account has no name)}
// @column written INTEGER
UNWIND $rows AS r
MATCH (a:Account {id: r.id})
SET a.fit_key = toInteger(floor(coalesce(a.fit, 0) * 10000)) * 4194304 + a.seq % 4194304
FOREACH (_ IN CASE WHEN a.stage_since IS NULL THEN [] ELSE [1] END |
  SET a.since_key = CASE WHEN a.stage_since IS NULL THEN null ELSE (CASE WHEN (a.stage_since - 1577836800.0) * 1000 > 1099511627775 THEN 1099511627775 WHEN (a.stage_since - 1577836800.0) * 1000 < -1099511627775 THEN -1099511627775 ELSE toInteger(floor((a.stage_since - 1577836800.0) * 1000)) END) * 4194304 + a.seq % 4194304 END)
FOREACH (_ IN CASE WHEN r.name_key IS NULL THEN [] ELSE [1] END | SET a.name_key = r.name_key)
RETURN count(a) AS written
