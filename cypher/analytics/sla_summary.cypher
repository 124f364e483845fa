// How fast sales acts on new SQLs (and MQAs), against the SLA: for the entries into each stage in
// [from, to), how many were acted on, how many breached, and the median and 90th percentile hours
// sales took. The clock of an entry stops at the account's next stage change: `acted` when a person
// made it, `moved_on` when the rules engine moved the account first, `open` while there is none.
// @param from FLOAT = null start of the period, epoch seconds (default: 90 days before `to`)
// @param to FLOAT = null end of the period (exclusive), epoch seconds (default: `now`)
// @param now FLOAT = null reference time, epoch seconds (default: the service clock)
// @param sql_sla_hours FLOAT = null hours sales has to act on an SQL (default: the active ruleset's sla.sql_hours)
// @param mqa_sla_hours FLOAT = null hours sales has to act on an MQA (default: the active ruleset's sla.mqa_hours)
// @column stage STRING sql or mqa
// @column sla_hours FLOAT the SLA that applied
// @column entered INTEGER entries into the stage in the period
// @column acted INTEGER acted on by a person
// @column acted_within_sla INTEGER acted on within the SLA
// @column moved_on INTEGER moved by the rules engine before anyone acted
// @column open INTEGER not acted on yet
// @column breached INTEGER not acted on within the SLA (acted late, moved on late, or open past it)
// @column breach_rate FLOAT breached / entered
// @column median_hours_to_act FLOAT over the acted entries
// @column p90_hours_to_act FLOAT over the acted entries
WITH coalesce($to, $now) AS t1
WITH coalesce($from, t1 - 90 * 86400.0) AS t0, t1
MATCH (a:Account)-[:TRANSITIONED]->(s:StageChange)
WHERE s.to IN ['sql', 'mqa'] AND s.at >= t0 AND s.at < t1
OPTIONAL MATCH (a)-[:TRANSITIONED]->(n:StageChange)
WHERE n.at > s.at
WITH a, s, min(n.at) AS ended_at
OPTIONAL MATCH (a)-[:TRANSITIONED]->(n:StageChange)
WHERE n.at = ended_at AND n.action IS NOT NULL
WITH s, ended_at, count(n) > 0 AS acted,
     CASE s.to WHEN 'sql' THEN $sql_sla_hours ELSE $mqa_sla_hours END AS sla_hours
WITH s.to AS stage, sla_hours, acted, ended_at IS NULL AS still_open,
     (coalesce(ended_at, $now) - s.at) / 3600.0 AS hours
WITH stage, sla_hours, count(*) AS entered,
     sum(CASE WHEN acted THEN 1 ELSE 0 END) AS acted,
     sum(CASE WHEN acted AND hours <= sla_hours THEN 1 ELSE 0 END) AS acted_within_sla,
     sum(CASE WHEN still_open THEN 1 ELSE 0 END) AS open,
     sum(CASE WHEN hours > sla_hours THEN 1 ELSE 0 END) AS breached,
     percentileCont(CASE WHEN acted THEN hours END, 0.5) AS median_hours_to_act,
     percentileCont(CASE WHEN acted THEN hours END, 0.9) AS p90_hours_to_act
RETURN stage, sla_hours, entered, acted, acted_within_sla, entered - acted - open AS moved_on, open, breached,
       toFloat(breached) / entered AS breach_rate, median_hours_to_act, p90_hours_to_act
ORDER BY stage DESC
