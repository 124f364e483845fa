// The merges recorded on an account or a contact (newest first): who merged which ids into it, when, why.
// @param id STRING the survivor's id
// @param kind STRING account or contact
// @column id STRING the Merge id
// @column merged LIST<STRING> the ids merged into the survivor
// @column at FLOAT epoch seconds
// @column actor STRING who merged
// @column reason STRING why, or null
MATCH (m:Merge {survivor: $id, kind: $kind})
RETURN m.id AS id, m.merged AS merged, m.at AS at, m.actor AS actor, m.reason AS reason
ORDER BY at DESC, id DESC
