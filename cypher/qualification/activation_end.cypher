// An activation's outcome: done with what PUT /v1/rules answers, or failed with its error (both JSON
// text); then only the last $keep ended activations are kept.
// @param id STRING the activation
// @param status STRING done or failed
// @param phase STRING the phase it ended in (starting, engagement or requalify)
// @param contacts_done INTEGER contacts whose aggregates were rebuilt
// @param accounts_done INTEGER accounts requalified with the new ruleset
// @param result STRING = null JSON: version, accounts, changed, changes (done)
// @param error STRING = null JSON: the error's body and HTTP status (failed)
// @param now FLOAT epoch seconds (wall clock)
// @param keep INTEGER ended activations kept
// @column removed INTEGER older activations removed
MATCH (r:RulesetActivation {id: $id})
SET r.status = $status, r.phase = $phase, r.contacts_done = $contacts_done, r.accounts_done = $accounts_done,
    r.result = $result, r.error = $error, r.finished_at = $now, r.updated_at = $now
WITH count(r) AS ended
OPTIONAL MATCH (o:RulesetActivation)
WHERE o.status <> 'running'
WITH o
ORDER BY o.started_at DESC
SKIP $keep
DETACH DELETE o
RETURN count(o) AS removed
