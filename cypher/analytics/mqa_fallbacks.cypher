// Inflation: accounts that fell back from MQA (or SQL) to an earlier automatic stage (engaged,
// target) in [from, to) -- marketing qualified them, then their engagement faded before sales took
// them. One row per fall, with how long the account had held the stage it fell from.
// @param from FLOAT = null start of the period, epoch seconds (default: 90 days before `to`)
// @param to FLOAT = null end of the period (exclusive), epoch seconds (default: `now`)
// @param now FLOAT = null reference time, epoch seconds (default: the service clock)
// @column id STRING the account
// @column name STRING the account's name
// @column segment STRING the account's segment
// @column fell_from STRING mqa or sql
// @column fell_to STRING engaged or target
// @column at FLOAT when, epoch seconds
// @column days_held FLOAT days the account had been in fell_from (null if it entered it before the history began)
// @column reason STRING the rules engine's reason
// @column actor STRING who decided (rules@<version>)
WITH coalesce($to, $now) AS t1
WITH coalesce($from, t1 - 90 * 86400.0) AS t0, t1
MATCH (a:Account)-[:TRANSITIONED]->(s:StageChange)
WHERE s.from IN ['mqa', 'sql'] AND s.to IN ['engaged', 'target'] AND s.at >= t0 AND s.at < t1
OPTIONAL MATCH (a)-[:TRANSITIONED]->(p:StageChange)
WHERE p.to = s.from AND p.at <= s.at
WITH a, s, max(p.at) AS entered
RETURN a.id AS id, a.name AS name, a.segment AS segment, s.from AS fell_from, s.to AS fell_to, s.at AS at,
       (s.at - entered) / 86400.0 AS days_held, s.reason AS reason, s.actor AS actor
ORDER BY at, id
