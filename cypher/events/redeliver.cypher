// Queue a delivery again (dead-lettered, or already delivered): attempts start over, due now.
// @param webhook STRING the webhook
// @param seq INTEGER the event
// @param now FLOAT epoch seconds
// @column status STRING the status it had (no row: no such delivery)
MATCH (d:Delivery {webhook: $webhook, seq: $seq})
WITH d, d.status AS before
SET d.status = 'pending', d.attempts = 0, d.next_at = $now
RETURN before AS status
