// Record one delivery attempt: delivered, pending again (with the time of the next try) or dead.
// @param id STRING the delivery
// @param status STRING delivered, pending or dead
// @param attempts INTEGER attempts made so far
// @param next_at FLOAT epoch seconds of the next try (null when none)
// @param code INTEGER HTTP status of the answer (null: none came)
// @param error STRING what went wrong (null when delivered); never the URL
// @param now FLOAT epoch seconds of the attempt
// @column id STRING (no row: the delivery is gone, or no longer pending)
MATCH (d:Delivery {id: $id})
WHERE d.status = 'pending'
SET d.status = $status, d.attempts = $attempts, d.last_attempt_at = $now,
    d.delivered_at = CASE WHEN $status = 'delivered' THEN $now ELSE d.delivered_at END
// What may be null (a removal) one property per update: FalkorDB 4.16 removes the wrong properties
// when one update removes several (graphsvc.ingest.repository.one_removal_per_update).
FOREACH (m IN [{next_at: $next_at}, {last_status: $code}, {last_error: $error}] | SET d += m)
RETURN d.id AS id
