// One ruleset activation as GET /v1/rules/activations/{id} shows it (any API worker).
// @param id STRING the activation
// @column id STRING
// @column version STRING
// @column actor STRING
// @column status STRING running, done or failed
// @column phase STRING starting, engagement (the contacts' aggregates rebuilt for a new half-life), requalify
// @column contacts_done INTEGER contacts whose aggregates were rebuilt (0 without a rebuild)
// @column accounts_done INTEGER accounts requalified with the new ruleset
// @column started_at FLOAT epoch seconds
// @column updated_at FLOAT epoch seconds of its last heartbeat
// @column finished_at FLOAT epoch seconds (null while running)
// @column result STRING JSON (done)
// @column error STRING JSON (failed)
MATCH (r:RulesetActivation {id: $id})
RETURN r.id AS id, r.version AS version, r.actor AS actor, r.status AS status, r.phase AS phase,
       r.contacts_done AS contacts_done, r.accounts_done AS accounts_done,
       r.started_at AS started_at, r.updated_at AS updated_at, r.finished_at AS finished_at, r.result AS result,
       r.error AS error
