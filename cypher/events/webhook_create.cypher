// Register a webhook. It starts at the newest event: it is sent what happens from now on (the
// feed, GET /v1/events, has the past). Its secret is not here: see graphsvc/events/secrets_file.py.
// @param id STRING the webhook id
// @param url STRING where to POST
// @param types LIST<STRING> event types it wants (empty: all)
// @param segment STRING only accounts of this segment (null: any)
// @param owner STRING only accounts of this owner (null: any)
// @param format STRING json or slack
// @param max_attempts INTEGER tries before a delivery is dead-lettered
// @param now FLOAT epoch seconds
// @column id STRING
// @column cursor INTEGER the last event it will not be sent
OPTIONAL MATCH (q:EventSeq {id: 'events'})
CREATE (w:Webhook {id: $id, url: $url, types: $types, segment: $segment, owner: $owner, format: $format,
                   max_attempts: $max_attempts, created_at: $now, cursor: coalesce(q.seq, 0)})
RETURN w.id AS id, w.cursor AS cursor
