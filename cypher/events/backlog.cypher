// Events after a webhook's cursor, with what its filter needs (the account's segment now).
// Read a window of seqs at a time (`upto`: see feed.cypher).
// @param after INTEGER the webhook's cursor
// @param upto INTEGER events with a seq at most this
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
