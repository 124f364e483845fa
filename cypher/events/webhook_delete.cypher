// Remove a webhook and its delivery log.
// @param id STRING the webhook
// @column deliveries INTEGER delivery records removed (no row: no such webhook)
MATCH (w:Webhook {id: $id})
OPTIONAL MATCH (d:Delivery {webhook: $id})
WITH w, collect(d) AS ds
FOREACH (x IN ds | DELETE x)
DELETE w
RETURN size(ds) AS deliveries
