// Write the rules engine's outcomes: scores on each account and, where its stage changed, the new
// stage and a StageChange. A stage is only changed if it is still the one the engine evaluated
// (`from`): a person's transition that landed in between is never overwritten. The SET comes
// before the stage is read: on Neo4j (read committed) it takes the account's write lock first, so
// two requalifications running at once cannot both move it. The `requalify_pending` mark is cleared
// only if it is still the one the evaluated snapshot saw (`pending`): a write that came after the
// snapshot leaves its mark for its own requalification.
// Issue 10: `requalify_at` (when decay can next change the outcome; null: never) and `qualified_until`
// (requalify_at when the stage's bar passes now) are written with the outcome, in this statement.
// The board's sort keys (graphsvc/store/sort_keys.py) are written with what they sort: fit_key with
// the fit, since_key with stage_since.
// Outbox: every stage actually changed gets its Event (type stage_changed) in this same statement, so
// there is no change without its event and no event without its change. Event `seq` comes from the
// one EventSeq counter, locked (SET lock_) before it is read: on Neo4j a second writer waits for this
// transaction to commit, so seq order is commit order and a feed reader resuming after seq N can never
// miss a smaller seq committed later; FalkorDB runs one write at a time.
// Routing (issue 12): a moved row with a `route` (the ruleset's [routing] decided; see
// qualification/routing.py) also gets its owner and an owner_assigned Event here, after its
// stage_changed one, only if the owner is still the one the snapshot saw (`route.from`: a person's
// assignment that landed in between wins). `route.members`/`route.payloads` are the candidates and
// their event payloads: one for a rule's owner or the least-loaded member; a round-robin team's
// members, picked by the team's turn, kept on the one RoutingTurns node (teams and turns as two
// parallel lists), locked before it is read like EventSeq, so two workers never hand out one turn;
// several accounts of one team in a batch take consecutive turns.
// @param rows LIST<MAP> {id, from, stage, changed, reason (null unless changed, like change_id and group), fit, engagement, mqa_score, qualified_at, requalify_at, qualified_until, missing_roles, change_id, pending, group (the buying group the answer shows: the one that qualified, issue 15), event (the event's JSON payload), route (null or {from, team, members, payloads})}
// @param now FLOAT epoch seconds of the write
// @param actor STRING who decided: rules@<version>
// @param ruleset STRING the ruleset version
// @column written INTEGER accounts whose scores were written
// @column changed LIST<MAP> {id, from, to, reason} for every stage actually changed
// @column assigned LIST<MAP> {id, from, to} for every owner routing actually changed
UNWIND $rows AS row
MATCH (a:Account {id: row.id})
SET a.fit = row.fit, a.engagement = row.engagement, a.mqa_score = row.mqa_score, a.ruleset = $ruleset,
    a.fit_key = toInteger(floor(coalesce(row.fit, 0) * 10000)) * 4194304 + a.seq % 4194304
// What may be null (a removal) is set one property per update: FalkorDB 4.16 removes the wrong
// properties when one update removes several (graphsvc.ingest.repository.one_removal_per_update).
FOREACH (m IN [{qualified_at: row.qualified_at}, {requalify_at: row.requalify_at},
               {qualified_until: row.qualified_until}, {missing_roles: row.missing_roles},
               {requalify_pending: CASE WHEN a.requalify_pending = row.pending THEN null ELSE a.requalify_pending END}] |
  SET a += m)
WITH a, row, (row.changed AND a.stage = row.from) AS moves
WITH a, row, moves,
     CASE WHEN moves AND row.route IS NOT NULL AND coalesce(a.owner, '') = coalesce(row.route.from, '')
          THEN row.route END AS route
FOREACH (_ IN CASE WHEN moves THEN [1] ELSE [] END |
  SET a.stage = row.stage, a.stage_since = $now, a.updated_at = $now,
      a.since_key = CASE WHEN $now IS NULL THEN null ELSE (CASE WHEN ($now - 1577836800.0) * 1000 > 1099511627775 THEN 1099511627775 WHEN ($now - 1577836800.0) * 1000 < -1099511627775 THEN -1099511627775 ELSE toInteger(floor(($now - 1577836800.0) * 1000)) END) * 4194304 + a.seq % 4194304 END
  CREATE (a)-[:TRANSITIONED]->(:StageChange {id: row.change_id, from: row.from, to: row.stage, at: $now,
                                             actor: $actor, reason: row.reason, ruleset: $ruleset,
                                             group: row.group}))
WITH count(a) AS written,
     collect(CASE WHEN moves THEN {id: a.id, from: row.from, to: row.stage, reason: row.reason, change: row.change_id,
                                   owner: a.owner, payload: row.event, route: route} END) AS changed,
     collect(CASE WHEN moves THEN a END) AS nodes
WITH written, changed, nodes,
     [c IN changed WHERE c.route IS NOT NULL AND c.route.team IS NOT NULL | c.route.team] AS rr
FOREACH (_ IN CASE WHEN size(rr) > 0 THEN [1] ELSE [] END |
  MERGE (t:RoutingTurns {id: 'routing'})
  SET t.lock_ = true
  REMOVE t.lock_)
WITH written, changed, nodes, rr
OPTIONAL MATCH (t:RoutingTurns {id: 'routing'})
WITH written, changed, nodes, rr, t, coalesce(t.teams, []) AS known
WITH written, changed, nodes, rr, t,
     known + reduce(acc = [], x IN rr | CASE WHEN x IN known OR x IN acc THEN acc ELSE acc + [x] END) AS teams
WITH written, changed, nodes, rr, t, teams,
     [k IN range(0, size(teams) - 1) | coalesce(t.turns[k], 0)] AS turns
// Each routed row's pick: 0 for a single candidate; for a team, (its turn + the row's rank among the
// batch's rows of that team) modulo the team size. Per team, not per row pair: linear in the batch.
WITH written, changed, nodes, rr, t, teams, turns,
     [i IN range(0, size(changed) - 1) WHERE changed[i].route IS NOT NULL AND changed[i].route.team IS NULL |
       {i: i, pick: 0}]
     + reduce(acc = [], k IN range(0, size(teams) - 1) |
         acc + head([rows IN [[i IN range(0, size(changed) - 1)
                               WHERE changed[i].route IS NOT NULL AND changed[i].route.team = teams[k]]] |
                     [r IN range(0, size(rows) - 1) |
                       {i: rows[r], pick: (turns[k] + r) % size(changed[rows[r]].route.members)}]])) AS picks
FOREACH (x IN CASE WHEN size(rr) > 0 THEN [t] ELSE [] END |
  SET x.teams = teams,
      x.turns = [k IN range(0, size(teams) - 1) | turns[k] + size([y IN rr WHERE y = teams[k]])])
WITH written, changed, nodes,
     [p IN picks WHERE changed[p.i].route.members[p.pick] <> coalesce(changed[p.i].owner, '') |
       {i: p.i, id: changed[p.i].id, from: changed[p.i].owner, to: changed[p.i].route.members[p.pick],
        payload: changed[p.i].route.payloads[p.pick]}] AS assigned
FOREACH (c IN assigned |
  FOREACH (n IN [nodes[c.i]] | SET n.owner = c.to))
// The stage_changed events carry the owner as this statement leaves it (the routed one, if any).
WITH written, changed, assigned, [n IN nodes | n.owner] AS owners
MERGE (q:EventSeq {id: 'events'})
ON CREATE SET q.seq = 0
FOREACH (_ IN CASE WHEN size(changed) > 0 THEN [1] ELSE [] END | SET q.lock_ = true REMOVE q.lock_)
WITH written, changed, assigned, owners, q, q.seq AS base
FOREACH (_ IN CASE WHEN size(changed) > 0 THEN [1] ELSE [] END | SET q.seq = base + size(changed) + size(assigned))
FOREACH (i IN range(0, size(changed) - 1) |
  CREATE (:Event {seq: base + 1 + i, type: 'stage_changed', account: changed[i].id, at: $now, actor: $actor,
                  change: changed[i].change, owner: owners[i], payload: changed[i].payload}))
FOREACH (i IN range(0, size(assigned) - 1) |
  CREATE (:Event {seq: base + size(changed) + 1 + i, type: 'owner_assigned', account: assigned[i].id, at: $now,
                  actor: $actor, owner: assigned[i].to, payload: assigned[i].payload}))
RETURN written, [c IN changed | {id: c.id, from: c.from, to: c.to, reason: c.reason}] AS changed,
       [c IN assigned | {id: c.id, from: c.from, to: c.to}] AS assigned
