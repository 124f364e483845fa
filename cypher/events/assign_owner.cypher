// A person assigns an account's owner: the owner and its owner_assigned outbox Event (with the actor)
// in one statement, only if the owner is still the one the request saw (`from`; two people at once
// cannot both win); seq from the locked EventSeq counter (see qualification/record_outcomes).
// @param id STRING the account
// @param from STRING the owner the request saw (null: none)
// @param owner STRING the new owner
// @param now FLOAT epoch seconds
// @param actor STRING the user
// @param event STRING the event's JSON payload
// @column seq INTEGER the event written (no row: the owner had changed meanwhile)
MATCH (a:Account {id: $id})
SET a.lock_ = true
REMOVE a.lock_
WITH a
WHERE coalesce(a.owner, '') = coalesce($from, '')
SET a.owner = $owner, a.updated_at = $now
MERGE (q:EventSeq {id: 'events'})
ON CREATE SET q.seq = 0
SET q.lock_ = true
REMOVE q.lock_
WITH a, q, q.seq + 1 AS seq
SET q.seq = seq
CREATE (:Event {seq: seq, type: 'owner_assigned', account: a.id, at: $now, actor: $actor, owner: $owner,
                payload: $event})
RETURN seq
