// Leakage: accounts sales rejected (action reject, from SQL or accepted) in [from, to), counted by
// the reason given, by lead source (the source of the account's earliest lead) or by campaign (every
// campaign the account's contacts engaged with before the rejection, so one rejection can count
// under several campaigns; "(none)" when there was none).
// @param from FLOAT = null start of the period, epoch seconds (default: 90 days before `to`)
// @param to FLOAT = null end of the period (exclusive), epoch seconds (default: `now`)
// @param now FLOAT = null reference time, epoch seconds (default: the service clock)
// @param by STRING = "reason" how to count: one of: reason, source, campaign
// @column group STRING the reason, lead source or campaign id
// @column rejections INTEGER rejections in that group
// @column accounts INTEGER distinct accounts among them
// @column total INTEGER all rejections in the period
WITH coalesce($to, $now) AS t1
WITH coalesce($from, t1 - 90 * 86400.0) AS t0, t1
MATCH (:Account)-[:TRANSITIONED]->(s:StageChange)
WHERE s.action = 'reject' AND s.at >= t0 AND s.at < t1
WITH collect(s) AS rejected, count(s) AS total
UNWIND rejected AS s
MATCH (a:Account)-[:TRANSITIONED]->(s)
OPTIONAL MATCH (a)<-[:WORKS_AT]-(:Contact)-[:PERFORMED]->(x:Activity)-[:PART_OF]->(k:Campaign)
WHERE $by = 'campaign' AND x.at <= s.at
WITH a, s, total, collect(DISTINCT k.id) AS campaigns
OPTIONAL MATCH (a)<-[:WORKS_AT]-(:Contact)<-[:MATCHED_TO]-(l:Lead)
WHERE $by = 'source'
WITH a, s, total, campaigns, collect(l) AS leads
WITH a, s, total, campaigns, reduce(first = null, ld IN leads |
       CASE WHEN first IS NULL OR ld.created_at < first.created_at
                 OR (ld.created_at = first.created_at AND ld.id < first.id) THEN ld ELSE first END) AS lead
WITH a, s, total, CASE $by
       WHEN 'source' THEN [coalesce(lead.source, '(none)')]
       WHEN 'campaign' THEN CASE WHEN size(campaigns) = 0 THEN ['(none)'] ELSE campaigns END
       ELSE [coalesce(s.reason, '(none)')] END AS groups
UNWIND groups AS group
RETURN group, count(DISTINCT s) AS rejections, count(DISTINCT a) AS accounts, total
ORDER BY rejections DESC, group
