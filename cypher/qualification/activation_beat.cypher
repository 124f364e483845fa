// A running activation's heartbeat and progress, every few seconds while its process applies it
// (qualification/activation_begin tells a live one from an abandoned one by it).
// @param id STRING the activation
// @param phase STRING starting, engagement (the contacts' aggregates rebuilt for a new half-life), requalify
// @param contacts_done INTEGER contacts whose aggregates were rebuilt so far
// @param accounts_done INTEGER accounts requalified with the new ruleset so far
// @param now FLOAT epoch seconds (wall clock)
// @column id STRING
MATCH (r:RulesetActivation {id: $id})
WHERE r.status = 'running'
SET r.phase = $phase, r.contacts_done = $contacts_done, r.accounts_done = $accounts_done, r.updated_at = $now
RETURN r.id AS id
