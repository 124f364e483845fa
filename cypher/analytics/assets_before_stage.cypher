// The assets (whitepapers, webinars, pages...) that most often precede an account reaching MQA (or
// SQL): for the accounts that reached the stage in [from, to) -- their first entry in the period; a
// change that skips it (target -> sql) reaches it too -- the assets their contacts engaged with in
// the `window_days` before that moment. `accounts` counts each account once per asset; `touches`
// counts the activities.
// @param stage STRING = "mqa" the stage reached: one of: mqa, sql
// @param window_days FLOAT = 90 how far back before reaching the stage an activity counts, in days
// @param from FLOAT = null start of the period, epoch seconds (default: 90 days before `to`)
// @param to FLOAT = null end of the period (exclusive), epoch seconds (default: `now`)
// @param now FLOAT = null reference time, epoch seconds (default: the service clock)
// @param limit INTEGER = 20 at most this many assets
// @column id STRING the asset
// @column name STRING the asset's name, when one was recorded
// @column kind STRING whitepaper, webinar, page, ... when recorded
// @column accounts INTEGER accounts that engaged with it before reaching the stage
// @column touches INTEGER activities on it in those windows
// @column reached INTEGER accounts that reached the stage in the period
// @column share FLOAT accounts / reached
WITH coalesce($to, $now) AS t1
WITH coalesce($from, t1 - 90 * 86400.0) AS t0, t1
MATCH (a:Account)-[:TRANSITIONED]->(s:StageChange)
WHERE s.at >= t0 AND s.at < t1
WITH a, s, CASE $stage WHEN 'mqa' THEN 2 ELSE 3 END AS k,
     CASE s.from WHEN 'engaged' THEN 1 WHEN 'mqa' THEN 2 WHEN 'sql' THEN 3 WHEN 'accepted' THEN 4
                 WHEN 'opportunity' THEN 5 WHEN 'won' THEN 6 ELSE 0 END AS r0,
     CASE s.to WHEN 'engaged' THEN 1 WHEN 'mqa' THEN 2 WHEN 'sql' THEN 3 WHEN 'accepted' THEN 4
               WHEN 'opportunity' THEN 5 WHEN 'won' THEN 6 ELSE 0 END AS r1
WHERE r0 < k AND r1 >= k
WITH a, min(s.at) AS reached_at
WITH collect({id: a.id, at: reached_at}) AS reached_list, count(a) AS reached
UNWIND reached_list AS r
MATCH (a:Account {id: r.id})<-[:WORKS_AT]-(:Contact)-[:PERFORMED]->(x:Activity)-[:ON]->(t:Asset)
WHERE x.at <= r.at AND x.at >= r.at - $window_days * 86400.0
WITH t, reached, count(DISTINCT a) AS accounts, count(x) AS touches
RETURN t.id AS id, t.name AS name, t.kind AS kind, accounts, touches, reached,
       toFloat(accounts) / reached AS share
ORDER BY accounts DESC, touches DESC, id
LIMIT $limit
