// How many accounts lack what the keyed board sorts read (graphsvc/store/sort_keys.py): a creation
// number (`seq`: every service write that creates an account gives one, with fit_key and since_key,
// and keeps fit_key and name_key beside the fit and the name; so an account without one was written
// from outside the service, and its keys are missing), and a since_key (also missing where
// stage_since is: the rules lab's replay may remove it). The board by fit, time in stage and name
// reads a range of those keys' indexes (board_top_fit, board_oldest_stage, board_first_name and their
// board_stage_ twins) only while the count its sort needs is 0 (fit and name: `unnumbered`; time in
// stage: `without_since`, which counts the unnumbered too): such an account is in no index and the
// statements would leave it out, where the full read counts it. The store's start numbers and keys
// older data (graphsvc/store/backfill.py). One label scan, two properties read per account (28 ms at
// 100k accounts on FalkorDB; reading fit_key and name_key too took 55 ms): qualification/board.py runs
// it at most every BoardFloors.look_every_s per process, not per page. It replaced
// accounts_lacking_stage_since (2026-12-03), which looked for stage_since only.
// @column unnumbered INTEGER accounts without seq
// @column without_since INTEGER accounts without since_key (or stage_since)
MATCH (m:Account)
RETURN count(CASE WHEN m.seq IS NULL THEN 1 END) AS unnumbered,
       count(CASE WHEN m.since_key IS NULL THEN 1 END) AS without_since
