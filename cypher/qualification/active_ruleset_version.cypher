// Only the version of the active ruleset: what every request checks against its cached copy
// (the TOML text is read only when the version is new to the process).
// @column version STRING
MATCH (r:Ruleset)
WHERE r.active = true
RETURN r.version AS version
ORDER BY r.activated_at DESC
LIMIT 1
