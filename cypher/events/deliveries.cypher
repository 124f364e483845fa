// A webhook's delivery log, in event order.
// @param webhook STRING the webhook
// @param status STRING = null only pending, delivered or dead
// @param after INTEGER = 0 events after this id
// @param limit INTEGER = 100 at most this many
// @column event_id INTEGER
// @column account STRING
// @column status STRING pending, delivered or dead
// @column attempts INTEGER
// @column next_at FLOAT epoch seconds of the next try
// @column last_status INTEGER HTTP status of the last answer
// @column last_error STRING
// @column last_attempt_at FLOAT epoch seconds
// @column delivered_at FLOAT epoch seconds
// @column created_at FLOAT epoch seconds: queued
MATCH (d:Delivery {webhook: $webhook})
WHERE ($status IS NULL OR d.status = $status) AND d.seq > $after
RETURN d.seq AS event_id, d.account AS account, d.status AS status, d.attempts AS attempts, d.next_at AS next_at,
       d.last_status AS last_status, d.last_error AS last_error, d.last_attempt_at AS last_attempt_at,
       d.delivered_at AS delivered_at, d.created_at AS created_at
ORDER BY event_id
LIMIT $limit
