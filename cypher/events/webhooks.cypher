// The registered webhooks (or one), oldest first.
// @param id STRING = null only this one
// @column id STRING
// @column url STRING
// @column types LIST<STRING>
// @column segment STRING
// @column owner STRING
// @column format STRING
// @column max_attempts INTEGER
// @column created_at FLOAT epoch seconds
// @column cursor INTEGER the last event looked at for delivery
MATCH (w:Webhook)
WHERE $id IS NULL OR w.id = $id
RETURN w.id AS id, w.url AS url, w.types AS types, w.segment AS segment, w.owner AS owner, w.format AS format,
       w.max_attempts AS max_attempts, w.created_at AS created_at, w.cursor AS cursor
ORDER BY created_at, id
