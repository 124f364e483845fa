// How many accounts are in each stage right now, optionally split by segment, industry or lead
// source. An account's lead source is the source of its earliest lead (the first touch); accounts
// without a matched lead, segment or industry are counted under "(none)".
// @param by STRING = "none" how to split: one of: none, segment, industry, source
// @column group STRING the segment, industry or lead source; "all" when by = none
// @column stage STRING the account stage
// @column stage_order INTEGER position in the funnel: 1 target, 2 engaged, 3 mqa, 4 sql, 5 accepted, 6 opportunity, 7 won, 8 lost, 9 nurture, 10 disqualified
// @column accounts INTEGER accounts in that stage (and group)
MATCH (a:Account)
OPTIONAL MATCH (a)<-[:WORKS_AT]-(:Contact)<-[:MATCHED_TO]-(l:Lead)
WHERE $by = 'source'
WITH a, collect(l) AS leads
WITH a, reduce(first = null, ld IN leads |
       CASE WHEN first IS NULL OR ld.created_at < first.created_at
                 OR (ld.created_at = first.created_at AND ld.id < first.id) THEN ld ELSE first END) AS lead
WITH CASE $by
       WHEN 'segment' THEN coalesce(a.segment, '(none)')
       WHEN 'industry' THEN coalesce(a.industry, '(none)')
       WHEN 'source' THEN coalesce(lead.source, '(none)')
       ELSE 'all' END AS group,
     coalesce(a.stage, 'target') AS stage
WITH group, stage, count(*) AS accounts,
     ['target', 'engaged', 'mqa', 'sql', 'accepted', 'opportunity', 'won', 'lost', 'nurture', 'disqualified'] AS stages
WITH group, stage, accounts, [i IN range(0, size(stages) - 1) WHERE stages[i] = stage] AS position
RETURN group, stage, CASE WHEN size(position) = 0 THEN 99 ELSE position[0] + 1 END AS stage_order, accounts
ORDER BY group, stage_order, stage
