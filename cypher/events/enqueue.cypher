// Queue a webhook's deliveries and move its cursor past the events looked at, in one statement.
// Only if the cursor is still where the events were read from (another worker may have done it);
// deliveries are MERGEd by id, so nothing is ever queued twice.
// @param webhook STRING the webhook
// @param from INTEGER the cursor the events were read after
// @param to INTEGER the new cursor (the last event looked at)
// @param rows LIST<MAP> {id, seq, account}: the events its filter wants
// @param now FLOAT epoch seconds
// @column webhook STRING the webhook
// @column queued INTEGER deliveries queued (no row: the cursor had moved)
MATCH (w:Webhook {id: $webhook})
SET w.lock_ = true
REMOVE w.lock_
WITH w
WHERE w.cursor = $from
SET w.cursor = $to
WITH w
UNWIND $rows + [null] AS row
FOREACH (_ IN CASE WHEN row IS NULL THEN [] ELSE [1] END |
  MERGE (d:Delivery {id: row.id})
  ON CREATE SET d.webhook = w.id, d.seq = row.seq, d.account = row.account, d.status = 'pending', d.attempts = 0,
                d.next_at = $now, d.created_at = $now)
// Grouped by the webhook: no row at all when its cursor had moved (count alone would answer 0).
RETURN w.id AS webhook, count(row) AS queued
