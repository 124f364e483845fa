// Conversion between funnel stages over a period (engaged -> MQA -> SQL -> accepted -> opportunity
// -> won), optionally split by segment, industry or lead source (the source of the account's
// earliest lead). `reached`: accounts that entered the stage in [from, to) -- a change that skips
// stages (target -> sql) enters every stage it skips; `advanced`: how many of those entered the
// next stage later in the same period; `rate` = advanced / reached. Falls back (sql -> mqa) and
// people's exits (nurture, disqualified, lost) enter nothing. Stages nobody reached have no row.
// @param from FLOAT = null start of the period, epoch seconds (default: 90 days before `to`)
// @param to FLOAT = null end of the period (exclusive), epoch seconds (default: `now`)
// @param now FLOAT = null reference time, epoch seconds (default: the service clock)
// @param by STRING = "none" how to split: one of: none, segment, industry, source
// @column group STRING the segment, industry or lead source; "all" when by = none
// @column stage STRING the stage entered
// @column stage_order INTEGER 1 engaged, 2 mqa, 3 sql, 4 accepted, 5 opportunity, 6 won
// @column reached INTEGER accounts that entered the stage in the period
// @column next_stage STRING the next funnel stage (null for won)
// @column advanced INTEGER of those, accounts that entered next_stage later in the period
// @column rate FLOAT advanced / reached
WITH coalesce($to, $now) AS t1
WITH coalesce($from, t1 - 90 * 86400.0) AS t0, t1
MATCH (a:Account)-[:TRANSITIONED]->(s:StageChange)
WHERE s.at >= t0 AND s.at < t1
WITH a, s.at AS at,
     CASE s.from WHEN 'engaged' THEN 1 WHEN 'mqa' THEN 2 WHEN 'sql' THEN 3 WHEN 'accepted' THEN 4
                 WHEN 'opportunity' THEN 5 WHEN 'won' THEN 6 ELSE 0 END AS r0,
     CASE s.to WHEN 'engaged' THEN 1 WHEN 'mqa' THEN 2 WHEN 'sql' THEN 3 WHEN 'accepted' THEN 4
               WHEN 'opportunity' THEN 5 WHEN 'won' THEN 6 ELSE 0 END AS r1
WHERE r1 > r0
UNWIND range(r0 + 1, r1) AS k
WITH a, k, min(at) AS first_at, max(at) AS last_at
WITH a, collect({k: k, first_at: first_at, last_at: last_at}) AS entered
OPTIONAL MATCH (a)<-[:WORKS_AT]-(:Contact)<-[:MATCHED_TO]-(l:Lead)
WHERE $by = 'source'
WITH a, entered, collect(l) AS leads
WITH a, entered, reduce(first = null, ld IN leads |
       CASE WHEN first IS NULL OR ld.created_at < first.created_at
                 OR (ld.created_at = first.created_at AND ld.id < first.id) THEN ld ELSE first END) AS lead
WITH entered, CASE $by
       WHEN 'segment' THEN coalesce(a.segment, '(none)')
       WHEN 'industry' THEN coalesce(a.industry, '(none)')
       WHEN 'source' THEN coalesce(lead.source, '(none)')
       ELSE 'all' END AS group
UNWIND entered AS e
WITH group, e.k AS k,
     CASE WHEN size([x IN entered WHERE x.k = e.k + 1 AND x.last_at >= e.first_at]) > 0 THEN 1 ELSE 0 END AS went_on
WITH group, k, count(*) AS reached, sum(went_on) AS advanced,
     ['engaged', 'mqa', 'sql', 'accepted', 'opportunity', 'won'] AS funnel
RETURN group, funnel[k - 1] AS stage, k AS stage_order, reached,
       CASE WHEN k < 6 THEN funnel[k] END AS next_stage,
       CASE WHEN k < 6 THEN advanced END AS advanced,
       CASE WHEN k < 6 THEN toFloat(advanced) / reached END AS rate
ORDER BY group, stage_order
