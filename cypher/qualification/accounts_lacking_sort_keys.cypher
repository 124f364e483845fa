// How many accounts lack what each keyed board sort reads (graphsvc/store/sort_keys.py): by time in
// stage a stage_since or its since_key, by fit a fit_key, by name a name_key beside a name. The board
// by fit, time in stage and name reads a range of those keys' indexes (board_top_fit,
// board_oldest_stage, board_first_name and their board_stage_ twins) only while its count is 0: such
// an account is in no index and the statements would leave it out, where the full read counts it (a
// missing key counts as 0 by fit, first by time in stage). Every write that creates an account or
// writes a fit, stage_since or name keeps the keys, and the store's start numbers and keys older data
// (graphsvc/store/backfill.py), so only a write from outside the service makes one. One label scan (no
// index holds a missing value): qualification/board.py runs it at most every BoardFloors.look_every_s
// per process, not per page. It replaced accounts_lacking_stage_since (2026-12-03), which looked for
// stage_since only and stopped at the first found.
// @column stage_since INTEGER accounts without stage_since or since_key
// @column fit INTEGER accounts without fit_key
// @column name INTEGER accounts with a name and no name_key
MATCH (m:Account)
RETURN count(CASE WHEN m.stage_since IS NULL OR m.since_key IS NULL THEN 1 END) AS stage_since,
       count(CASE WHEN m.fit_key IS NULL THEN 1 END) AS fit,
       count(CASE WHEN m.name IS NOT NULL AND m.name_key IS NULL THEN 1 END) AS name
