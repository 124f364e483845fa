// One batch of the one-time numbering of accounts that have no creation number `seq` (the board's
// tie-breaker, graphsvc/store/sort_keys.py; graphsvc/store/backfill.py runs it when the store opens):
// the first $batch of them in id order, numbered from the AccountSeq counter in that order, so that
// accounts older than the keys keep the tie order they had (by id). The counter is locked before the
// accounts are read: on Neo4j two processes opening the store at once (API workers) then number
// them one after the other, the second seeing the first's numbers, instead of both numbering the
// same accounts (ingest/upsert_accounts takes it last; the two meet only over accounts without a
// number, i.e. during this numbering, and a deadlock there is retried by the driver). Their keys
// are then written by qualification/sort_keys_set.
// Idempotent: a second run finds none; each batch numbers what it read, so the next one needs no
// cursor (an id of another type than a string, written from outside the service, cannot stop it).
// @param batch INTEGER = 5000 accounts per batch
// @column numbered INTEGER accounts numbered in this batch
MERGE (q:AccountSeq {id: 'accounts'})
ON CREATE SET q.seq = 0
SET q.lock_ = true
REMOVE q.lock_
WITH q
OPTIONAL MATCH (a:Account)
WHERE a.seq IS NULL
WITH q, a
ORDER BY a.id
LIMIT $batch
WITH q, collect(a) AS fresh
WITH q, fresh, q.seq AS base
FOREACH (_ IN CASE WHEN size(fresh) > 0 THEN [1] ELSE [] END | SET q.seq = base + size(fresh))
FOREACH (i IN range(0, size(fresh) - 1) | FOREACH (a IN [fresh[i]] | SET a.seq = base + 1 + i))
RETURN size(fresh) AS numbered
