// Write a replayed history (graphsvc/lab/history.py): each account's stage changes at their
// historical dates (rules changes with actor rules@<version> and no action; CRM changes with
// actor import and their action), its stage as the replay left it, and in the same statement one
// outbox Event per change (seq from the locked EventSeq counter, as record_outcomes does).
// @param finals LIST<MAP> {id, stage, since, qualified_at}
// @param changes LIST<MAP> {id, from, to, at, actor, action, reason, ruleset, change_id, event}
// @column accounts INTEGER accounts whose stage was set
// @column changes INTEGER stage changes written
UNWIND $finals AS f
MATCH (a:Account {id: f.id})
SET a.stage = f.stage
// since and qualified_at may be null (removals): one per update, as FalkorDB 4.16 removes the wrong
// properties when one update removes several (graphsvc.ingest.repository.one_removal_per_update).
// since_key: the board's sort key for time in stage, written with stage_since (graphsvc/store/sort_keys.py).
FOREACH (m IN [{stage_since: f.since}, {updated_at: f.since}, {qualified_at: f.qualified_at},
               {since_key: CASE WHEN f.since IS NULL THEN null ELSE (CASE WHEN (f.since - 1577836800.0) * 1000 > 1099511627775 THEN 1099511627775 WHEN (f.since - 1577836800.0) * 1000 < -1099511627775 THEN -1099511627775 ELSE toInteger(floor((f.since - 1577836800.0) * 1000)) END) * 4194304 + a.seq % 4194304 END}] | SET a += m)
WITH count(a) AS accounts
UNWIND $changes AS c
MATCH (a:Account {id: c.id})
CREATE (a)-[:TRANSITIONED]->(:StageChange {id: c.change_id, from: c.from, to: c.to, at: c.at, actor: c.actor,
                                           action: c.action, reason: c.reason, ruleset: c.ruleset})
WITH accounts, collect({id: a.id, change: c.change_id, at: c.at, actor: c.actor, owner: a.owner,
                        payload: c.event}) AS changed
MERGE (q:EventSeq {id: 'events'})
ON CREATE SET q.seq = 0
SET q.lock_ = true
REMOVE q.lock_
WITH accounts, changed, q, q.seq AS base
SET q.seq = base + size(changed)
FOREACH (i IN range(0, size(changed) - 1) |
  CREATE (:Event {seq: base + 1 + i, type: 'stage_changed', account: changed[i].id, at: changed[i].at,
                  actor: changed[i].actor, change: changed[i].change, owner: changed[i].owner,
                  payload: changed[i].payload}))
RETURN accounts, size(changed) AS changes
