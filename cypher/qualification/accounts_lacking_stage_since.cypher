// Whether any account has no stage_since (0 or 1: the scan stops at the first found). The board by
// time in stage reads from a ceiling through the stage_since index (board_oldest_stage.cypher,
// board_stage_oldest_stage.cypher) only while this finds none: such an account counts as 0 in the
// full read and sorts first, and no index holds it. Every write that creates an account sets
// stage_since and the store's start derives it for older data (qualification/backfill_stage_since),
// so only a write from outside the service makes one. A label scan (no index holds a missing value):
// qualification/board.py runs it at most every BoardFloors.look_every_s per process, not per page.
// @column missing INTEGER
OPTIONAL MATCH (m:Account)
WHERE m.stage_since IS NULL
WITH m
LIMIT 1
RETURN count(m) AS missing
