// The outbox as a feed: events after a cursor (their `seq`), oldest first, optionally only some types
// or one account. A reader that stores the last seq it handled and passes it back as `after` gets
// every event at least once (seq order is commit order: see qualification/record_outcomes).
// @param after INTEGER = 0 events with a larger seq than this
// @param types LIST<STRING> = [] only these types (empty: all)
// @param account STRING = null only this account's events
// @param limit INTEGER = 100 at most this many
// @column seq INTEGER the event's id: ordered, unique
// @column type STRING stage_changed, roles_changed, ...
// @column account STRING the account it is about
// @column at FLOAT epoch seconds
// @column actor STRING rules@<version> or a user
// @column owner STRING the account's owner when it happened
// @column change STRING the StageChange id (stage_changed)
// @column payload STRING JSON: what changed (from, to, reason, checks, missing roles, roles)
// @column removed LIST<STRING> roles removed (roles_changed)
MATCH (e:Event)
WHERE e.seq > $after AND (size($types) = 0 OR e.type IN $types) AND ($account IS NULL OR e.account = $account)
RETURN e.seq AS seq, e.type AS type, e.account AS account, e.at AS at, e.actor AS actor, e.owner AS owner,
       e.change AS change, e.payload AS payload, e.removed AS removed
ORDER BY seq
LIMIT $limit
