// A webhook's deliveries still to make, in event order.
// @param webhook STRING the webhook
// @param limit INTEGER = 500 at most this many
// @param now FLOAT epoch seconds: what is due by now
// @column id STRING
// @column seq INTEGER the event
// @column account STRING
// @column attempts INTEGER made so far
// @column next_at FLOAT epoch seconds: not before
// @column due BOOLEAN next_at <= now, compared in the engine (a float read back can differ in its last digit)
MATCH (d:Delivery {webhook: $webhook})
WHERE d.status = 'pending'
RETURN d.id AS id, d.seq AS seq, d.account AS account, d.attempts AS attempts, d.next_at AS next_at,
       d.next_at <= $now AS due
ORDER BY seq
LIMIT $limit
