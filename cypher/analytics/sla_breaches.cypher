// SLA breaches: accounts that became SQL (or MQA) in [from, to) and were not acted on by sales within
// the SLA. The clock of each entry stops at the account's next stage change: `acted` when a person
// made it (accept, reject, recycle, ...), `moved_on` when the rules engine moved the account first
// (nobody acted), `open` when there is none yet (measured up to `now`).
// @param from FLOAT = null start of the period, epoch seconds (default: 90 days before `to`)
// @param to FLOAT = null end of the period (exclusive), epoch seconds (default: `now`)
// @param now FLOAT = null reference time, epoch seconds (default: the service clock)
// @param sql_sla_hours FLOAT = null hours sales has to act on an SQL (default: the active ruleset's sla.sql_hours)
// @param mqa_sla_hours FLOAT = null hours sales has to act on an MQA (default: the active ruleset's sla.mqa_hours)
// @param only_breached BOOLEAN = true list only the entries that breached the SLA
// @param limit INTEGER = 500 at most this many rows
// @column stage STRING sql or mqa
// @column id STRING the account
// @column name STRING the account's name
// @column owner STRING the account owner (sales rep)
// @column entered_at FLOAT when the account entered the stage, epoch seconds
// @column sla_hours FLOAT the SLA that applied
// @column status STRING acted, moved_on or open
// @column action STRING the person's action when acted
// @column actor STRING who acted (or rules@<version> when moved_on)
// @column ended_at FLOAT when the clock stopped (null when open)
// @column hours FLOAT hours from entry to the action, the engine's move, or now
// @column hours_to_act FLOAT hours the person took (acted only)
// @column breached BOOLEAN hours > sla_hours
WITH coalesce($to, $now) AS t1
WITH coalesce($from, t1 - 90 * 86400.0) AS t0, t1
MATCH (a:Account)-[:TRANSITIONED]->(s:StageChange)
WHERE s.to IN ['sql', 'mqa'] AND s.at >= t0 AND s.at < t1
OPTIONAL MATCH (a)-[:TRANSITIONED]->(n:StageChange)
WHERE n.at > s.at
WITH a, s, min(n.at) AS ended_at
OPTIONAL MATCH (a)-[:TRANSITIONED]->(n:StageChange)
WHERE n.at = ended_at
// Several changes can share that second: pick by min() (a person's change first, then the lowest
// id), never by the engine's row order, so both engines give the same answer every time.
WITH a, s, ended_at, min(CASE WHEN n.action IS NULL THEN NULL ELSE n.id END) AS person_id, min(n.actor) AS mover
OPTIONAL MATCH (a)-[:TRANSITIONED]->(person:StageChange)
WHERE person.id = person_id
WITH a, s, ended_at, person, mover,
     CASE s.to WHEN 'sql' THEN $sql_sla_hours ELSE $mqa_sla_hours END AS sla_hours,
     (coalesce(ended_at, $now) - s.at) / 3600.0 AS hours
WITH a, s, ended_at, person, sla_hours, hours, hours > sla_hours AS breached,
     CASE WHEN ended_at IS NULL THEN 'open' WHEN person IS NULL THEN 'moved_on' ELSE 'acted' END AS status,
     CASE WHEN person IS NULL THEN mover ELSE person.actor END AS actor
WHERE breached OR NOT $only_breached
RETURN s.to AS stage, a.id AS id, a.name AS name, a.owner AS owner, s.at AS entered_at, sla_hours, status,
       person.action AS action, actor, ended_at, hours, CASE WHEN status = 'acted' THEN hours END AS hours_to_act,
       breached
ORDER BY entered_at, id
LIMIT $limit
