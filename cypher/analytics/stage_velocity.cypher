// How long accounts stay in each stage: median, 90th percentile and mean days, over the stays
// that began in [from, to). A stay runs from the change into the stage to the account's next stage
// change; a stay still open is measured up to `now`, and counted only when include_open is true
// (terminal stages -- won, lost, disqualified -- are always open).
// @param from FLOAT = null start of the period, epoch seconds (default: 365 days before `to`)
// @param to FLOAT = null end of the period (exclusive), epoch seconds (default: `now`)
// @param now FLOAT = null reference time, epoch seconds (default: the service clock)
// @param include_open BOOLEAN = false also count stays not yet ended, measured up to `now`
// @column stage STRING the stage stayed in
// @column stage_order INTEGER position in the funnel: 1 target ... 10 disqualified
// @column stays INTEGER stays measured
// @column open INTEGER of those, stays still open at `now`
// @column median_days FLOAT median days in the stage
// @column p90_days FLOAT 90th percentile of days in the stage (percentileCont)
// @column mean_days FLOAT mean days in the stage
// @column max_days FLOAT longest stay, days
WITH coalesce($to, $now) AS t1
WITH coalesce($from, t1 - 365 * 86400.0) AS t0, t1
MATCH (a:Account)-[:TRANSITIONED]->(s:StageChange)
WHERE s.at >= t0 AND s.at < t1
OPTIONAL MATCH (a)-[:TRANSITIONED]->(n:StageChange)
WHERE n.at > s.at
WITH s, min(n.at) AS left_at
WHERE left_at IS NOT NULL OR $include_open
WITH s.to AS stage, (coalesce(left_at, $now) - s.at) / 86400.0 AS days, left_at IS NULL AS still_open
WITH stage, count(*) AS stays, sum(CASE WHEN still_open THEN 1 ELSE 0 END) AS open,
     percentileCont(days, 0.5) AS median_days, percentileCont(days, 0.9) AS p90_days,
     avg(days) AS mean_days, max(days) AS max_days,
     ['target', 'engaged', 'mqa', 'sql', 'accepted', 'opportunity', 'won', 'lost', 'nurture', 'disqualified'] AS stages
WITH stage, stays, open, median_days, p90_days, mean_days, max_days,
     [i IN range(0, size(stages) - 1) WHERE stages[i] = stage] AS position
RETURN stage, CASE WHEN size(position) = 0 THEN 99 ELSE position[0] + 1 END AS stage_order, stays, open,
       median_days, p90_days, mean_days, max_days
ORDER BY stage_order, stage
