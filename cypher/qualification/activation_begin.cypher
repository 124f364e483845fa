// Begin a ruleset's activation (PUT /v1/rules), unless another is running: its record, which every API
// worker reads (GET /v1/rules/activations/{id}). One activation at a time across the workers: the one
// ActivationLock node is locked (SET lock_) before the running one is looked for, so on Neo4j a
// second begin waits for this transaction; FalkorDB runs one write at a time. An activation whose
// heartbeat (`updated_at`, written every few seconds while its process applies it) is older than
// $stale_before was abandoned by a process that stopped: it blocks nothing.
// @param id STRING the new activation's id
// @param version STRING the ruleset's version
// @param actor STRING who activates it
// @param now FLOAT epoch seconds (wall clock: heartbeats are compared with it)
// @param stale_before FLOAT a running activation's heartbeat older than this is abandoned
// @column running_id STRING the activation already running (null: this one was begun)
// @column running_version STRING its ruleset's version
// @column running_done INTEGER its accounts requalified so far
MERGE (l:ActivationLock {id: 'rules'})
SET l.lock_ = true
REMOVE l.lock_
WITH l
OPTIONAL MATCH (r:RulesetActivation)
WHERE r.status = 'running' AND r.updated_at >= $stale_before
WITH collect(r) AS running
FOREACH (_ IN CASE WHEN size(running) = 0 THEN [1] ELSE [] END |
  CREATE (:RulesetActivation {id: $id, version: $version, actor: $actor, status: 'running', phase: 'starting',
                              contacts_done: 0, accounts_done: 0,
                              started_at: $now, updated_at: $now}))
RETURN CASE WHEN size(running) = 0 THEN null ELSE running[0].id END AS running_id,
       CASE WHEN size(running) = 0 THEN null ELSE running[0].version END AS running_version,
       CASE WHEN size(running) = 0 THEN null ELSE running[0].accounts_done END AS running_done
