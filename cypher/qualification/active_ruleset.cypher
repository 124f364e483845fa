// The active ruleset (its TOML text and version), if one was ever activated.
// @column version STRING
// @column toml STRING
// @column activated_at FLOAT
// @column actor STRING
MATCH (r:Ruleset)
WHERE r.active = true
RETURN r.version AS version, r.toml AS toml, r.activated_at AS activated_at, r.actor AS actor
ORDER BY activated_at DESC
LIMIT 1
