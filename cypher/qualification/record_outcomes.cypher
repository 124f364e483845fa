// Write the rules engine's outcomes: scores on each account and, where its stage changed, the new
// stage and a StageChange. A stage is only changed if it is still the one the engine evaluated
// (`from`): a person's transition that landed in between is never overwritten. The SET comes
// before the stage is read: on Neo4j (read committed) it takes the account's write lock first, so
// two requalifications running at once cannot both move it. The `requalify_pending` mark is cleared
// only if it is still the one the evaluated snapshot saw (`pending`): a write that came after the
// snapshot leaves its mark for its own requalification.
// Issue 10: `requalify_at` (when decay can next change the outcome; null: never) and `qualified_until`
// (requalify_at when the stage's bar passes now) are written with the outcome, in this statement.
// Outbox: every stage actually changed gets its Event (type stage_changed) in this same statement, so
// there is no change without its event and no event without its change. Event `seq` comes from the
// one EventSeq counter, locked (SET lock_) before it is read: on Neo4j a second writer waits for this
// transaction to commit, so seq order is commit order and a feed reader resuming after seq N can never
// miss a smaller seq committed later; FalkorDB runs one write at a time.
// @param rows LIST<MAP> {id, from, stage, changed, reason, fit, engagement, mqa_score, qualified_at, requalify_at, qualified_until, missing_roles, change_id, pending, event (the event's JSON payload)}
// @param now FLOAT epoch seconds of the write
// @param actor STRING who decided: rules@<version>
// @param ruleset STRING the ruleset version
// @column written INTEGER accounts whose scores were written
// @column changed LIST<MAP> {id, from, to, reason} for every stage actually changed
UNWIND $rows AS row
MATCH (a:Account {id: row.id})
SET a.fit = row.fit, a.engagement = row.engagement, a.mqa_score = row.mqa_score,
    a.qualified_at = row.qualified_at, a.requalify_at = row.requalify_at, a.qualified_until = row.qualified_until,
    a.missing_roles = row.missing_roles, a.ruleset = $ruleset,
    a.requalify_pending = CASE WHEN a.requalify_pending = row.pending THEN null ELSE a.requalify_pending END
WITH a, row, (row.changed AND a.stage = row.from) AS moves
FOREACH (_ IN CASE WHEN moves THEN [1] ELSE [] END |
  SET a.stage = row.stage, a.stage_since = $now, a.updated_at = $now
  CREATE (a)-[:TRANSITIONED]->(:StageChange {id: row.change_id, from: row.from, to: row.stage, at: $now,
                                             actor: $actor, reason: row.reason, ruleset: $ruleset}))
WITH count(a) AS written,
     collect(CASE WHEN moves THEN {id: a.id, from: row.from, to: row.stage, reason: row.reason, change: row.change_id,
                                   owner: a.owner, payload: row.event} END) AS changed
MERGE (q:EventSeq {id: 'events'})
ON CREATE SET q.seq = 0
FOREACH (_ IN CASE WHEN size(changed) > 0 THEN [1] ELSE [] END | SET q.lock_ = true REMOVE q.lock_)
WITH written, changed, q, q.seq AS base
FOREACH (_ IN CASE WHEN size(changed) > 0 THEN [1] ELSE [] END | SET q.seq = base + size(changed))
FOREACH (i IN range(0, size(changed) - 1) |
  CREATE (:Event {seq: base + 1 + i, type: 'stage_changed', account: changed[i].id, at: $now, actor: $actor,
                  change: changed[i].change, owner: changed[i].owner, payload: changed[i].payload}))
RETURN written, [c IN changed | {id: c.id, from: c.from, to: c.to, reason: c.reason}] AS changed
