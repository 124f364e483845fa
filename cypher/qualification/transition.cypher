// A person's stage transition (accept, reject, recycle, ...): applied only if the account is still
// in the stage the decision was made on, recorded as a StageChange with actor and reason, and in the
// same statement its outbox Event (stage_changed; seq from the locked EventSeq counter, see
// record_outcomes): no change without its event, no event without its change.
// @param id STRING the account
// @param from STRING the stage the action was checked against
// @param to STRING the new stage
// @param at FLOAT epoch seconds
// @param actor STRING the user
// @param action STRING the sales action (accept, reject, ...)
// @param reason STRING why (required for reject and disqualify)
// @param change_id STRING id of the new StageChange
// @param event STRING = null the event's JSON payload
// @column stage STRING the stage now (no row: the account was not in `from` any more)
MATCH (a:Account {id: $id})
// Take the account's write lock before reading its stage (Neo4j runs read committed: without it two
// concurrent actions could both see `from` and both apply), then drop the marker property.
SET a.lock_ = true
REMOVE a.lock_
WITH a
WHERE a.stage = $from
// since_key: the board's sort key for time in stage, written with stage_since (graphsvc/store/sort_keys.py).
SET a.stage = $to, a.stage_since = $at, a.updated_at = $at,
    a.since_key = CASE WHEN $at IS NULL THEN null ELSE (CASE WHEN ($at - 1577836800.0) * 1000 > 1099511627775 THEN 1099511627775 WHEN ($at - 1577836800.0) * 1000 < -1099511627775 THEN -1099511627775 ELSE toInteger(floor(($at - 1577836800.0) * 1000)) END) * 4194304 + a.seq % 4194304 END
CREATE (a)-[:TRANSITIONED]->(:StageChange {id: $change_id, from: $from, to: $to, at: $at, actor: $actor,
                                           action: $action, reason: $reason})
MERGE (q:EventSeq {id: 'events'})
ON CREATE SET q.seq = 0
SET q.lock_ = true
REMOVE q.lock_
WITH a, q, q.seq + 1 AS seq
SET q.seq = seq
CREATE (:Event {seq: seq, type: 'stage_changed', account: a.id, at: $at, actor: $actor, change: $change_id,
                owner: a.owner, payload: $event})
RETURN a.stage AS stage
