// Write an SLA reminder or breach: the account's mark and its outbox Event (sla_reminder or
// sla_breached) in one statement, only if the account is still in the stage entry the SLA was
// computed for (sales did not act meanwhile) and the event was not written yet; seq from the locked
// EventSeq counter (see qualification/record_outcomes). A breach marks the reminder done too.
// @param id STRING the account
// @param stage STRING the stage the SLA ran for
// @param since FLOAT its stage_since
// @param kind STRING reminder or breach
// @param now FLOAT epoch seconds
// @param actor STRING who decided: rules@<version>
// @param event STRING the event's JSON payload
// @column seq INTEGER the event written (no row: nothing to write)
MATCH (a:Account {id: $id})
SET a.lock_ = true
REMOVE a.lock_
WITH a
WHERE a.stage = $stage AND a.stage_since = $since
  AND coalesce(CASE WHEN $kind = 'breach' THEN a.sla_breached ELSE a.sla_reminded END, -1.0) <> $since
SET a.sla_reminded = $since,
    a.sla_breached = CASE WHEN $kind = 'breach' THEN $since ELSE a.sla_breached END
MERGE (q:EventSeq {id: 'events'})
ON CREATE SET q.seq = 0
SET q.lock_ = true
REMOVE q.lock_
WITH a, q, q.seq + 1 AS seq
SET q.seq = seq
CREATE (:Event {seq: seq, type: CASE WHEN $kind = 'breach' THEN 'sla_breached' ELSE 'sla_reminder' END,
                account: a.id, at: $now, actor: $actor, owner: a.owner, payload: $event})
RETURN seq
