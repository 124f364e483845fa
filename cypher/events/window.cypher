// A window of the outbox for the feed (graphsvc/events/feed.py): how many events have an id in
// (after, upto], and the first `limit` of them of the given types, oldest first. FalkorDB hands a
// range read of the seq index with no upper bound every event past `after` before any sort or limit,
// so a page read with events/feed from the start of a 100k-account outbox cost the whole outbox
// (25-88 ms); a window costs its width. `looked` lets the caller vouch for the window: seqs are
// dense and taken in commit order, so a window below the counter it read holds exactly
// upto - after events, and fewer means a gap or a server behind that counter (a cluster's lagging
// reader): then the caller reads on with events/feed instead of moving its cursor past events it
// has not seen. One row with `looked` and null event columns when none of the window is wanted.
// @param after INTEGER events with a larger seq than this
// @param upto INTEGER and a seq at most this
// @param types LIST<STRING> = [] only these types (empty: all)
// @param limit INTEGER = 100 at most this many
// @column looked INTEGER events in the window, of any type
// @column seq INTEGER
// @column type STRING
// @column account STRING
// @column at FLOAT epoch seconds
// @column actor STRING
// @column owner STRING
// @column change STRING
// @column payload STRING JSON
// @column removed LIST<STRING>
MATCH (e:Event)
WHERE e.seq > $after AND e.seq <= $upto
WITH count(e) AS looked, collect(CASE WHEN size($types) = 0 OR e.type IN $types THEN e.seq END) AS wanted
UNWIND CASE WHEN size(wanted) = 0 THEN [null] ELSE wanted END AS wanted_seq
WITH looked, wanted_seq
ORDER BY wanted_seq
LIMIT $limit
OPTIONAL MATCH (e:Event {seq: wanted_seq})
RETURN looked, e.seq AS seq, e.type AS type, e.account AS account, e.at AS at, e.actor AS actor, e.owner AS owner,
       e.change AS change, e.payload AS payload, e.removed AS removed
ORDER BY seq
