// Events after a webhook's cursor, with what its filter needs (the account's segment now).
// Read 500 ids at a time (`upto`: see window.cypher; the worker reads on without a bound when a
// window holds fewer events than ids).
// @param after INTEGER the webhook's cursor
// @param upto INTEGER = 4611686018427387904 events with a seq at most this (default: no bound)
// @param limit INTEGER = 500 at most this many
// @column seq INTEGER
// @column type STRING
// @column account STRING
// @column owner STRING the account's owner when the event happened
// @column segment STRING the account's segment
MATCH (e:Event)
WHERE e.seq > $after AND e.seq <= $upto
WITH e
ORDER BY e.seq
LIMIT $limit
OPTIONAL MATCH (a:Account {id: e.account})
RETURN e.seq AS seq, e.type AS type, e.account AS account, e.owner AS owner, a.segment AS segment
ORDER BY seq
