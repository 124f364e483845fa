// Make a ruleset the active one (keeping earlier ones for the record): one transaction.
// @param version STRING the content hash
// @param toml STRING the ruleset text
// @param at FLOAT epoch seconds
// @param actor STRING who activated it
// @column version STRING
OPTIONAL MATCH (old:Ruleset)
WHERE old.active = true
SET old.active = false
WITH count(old) AS _
MERGE (r:Ruleset {version: $version})
SET r.toml = $toml, r.active = true, r.activated_at = $at, r.actor = $actor
RETURN r.version AS version
