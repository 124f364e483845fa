// Write the rules engine's outcomes: scores on each account and, where its stage changed, the new
// stage and a StageChange. A stage is only changed if it is still the one the engine evaluated
// (`from`): a person's transition that landed in between is never overwritten.
// @param rows LIST<MAP> {id, from, stage, changed, reason, fit, engagement, mqa_score, qualified_at, missing_roles, change_id}
// @param now FLOAT epoch seconds of the write
// @param actor STRING who decided: rules@<version>
// @param ruleset STRING the ruleset version
// @column written INTEGER accounts whose scores were written
// @column changed LIST<MAP> {id, from, to, reason} for every stage actually changed
UNWIND $rows AS row
MATCH (a:Account {id: row.id})
WITH a, row, (row.changed AND a.stage = row.from) AS moves
SET a.fit = row.fit, a.engagement = row.engagement, a.mqa_score = row.mqa_score,
    a.qualified_at = row.qualified_at, a.missing_roles = row.missing_roles, a.ruleset = $ruleset
FOREACH (_ IN CASE WHEN moves THEN [1] ELSE [] END |
  SET a.stage = row.stage, a.stage_since = $now, a.updated_at = $now
  CREATE (a)-[:TRANSITIONED]->(:StageChange {id: row.change_id, from: row.from, to: row.stage, at: $now,
                                             actor: $actor, reason: row.reason, ruleset: $ruleset}))
RETURN count(a) AS written,
       collect(CASE WHEN moves THEN {id: a.id, from: row.from, to: row.stage, reason: row.reason} END) AS changed
