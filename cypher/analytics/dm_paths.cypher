// Who can introduce us: accounts where a contact engaged in the last `window_days` has a reporting
// line (REPORTS_TO, up to 6 levels) up to a decision maker (a contact holding `role` in one of the
// account's buying groups) who has not engaged in that window. One row per (engaged contact,
// decision maker) pair, shortest lines first. Activities of the types in `ignore_types` (negative
// signals) do not count as engagement.
// @param now FLOAT = null reference time, epoch seconds (default: the service clock)
// @param window_days FLOAT = 90 engaged means an activity in the last window_days days
// @param role STRING = "decision_maker" the buying role to reach
// @param stage STRING = null only accounts in this stage (default: every stage)
// @param ignore_types LIST<STRING> = ["unsubscribe","hard_bounce"] activity types that are not engagement
// @param limit INTEGER = 200 at most this many rows
// @column account_id STRING the account
// @column account_name STRING its name
// @column stage STRING the account's stage
// @column decision_maker_id STRING the unengaged contact holding the role
// @column decision_maker_title STRING their job title
// @column decision_maker_last_active FLOAT their last activity ever, epoch seconds (null: never)
// @column contact_id STRING the engaged contact
// @column contact_title STRING their job title
// @column contact_last_active FLOAT their last activity in the window, epoch seconds
// @column hops INTEGER reporting lines between them
// @column path LIST<STRING> contact ids from the engaged contact up to the decision maker
WITH $now - $window_days * 86400.0 AS since
MATCH (a:Account)-[:HAS_BUYING_GROUP]->(:BuyingGroup)<-[m:MEMBER_OF]-(dm:Contact)
WHERE m.role = $role AND ($stage IS NULL OR a.stage = $stage)
WITH DISTINCT since, a, dm
OPTIONAL MATCH (dm)-[:PERFORMED]->(dx:Activity)
WHERE NOT dx.type IN $ignore_types AND dx.at <= $now
WITH since, a, dm, max(dx.at) AS dm_last
WHERE dm_last IS NULL OR dm_last < since
MATCH p = (c:Contact)-[:REPORTS_TO*1..6]->(dm)
WHERE c <> dm AND (c)-[:WORKS_AT]->(a)
MATCH (c)-[:PERFORMED]->(cx:Activity)
WHERE NOT cx.type IN $ignore_types AND cx.at >= since AND cx.at <= $now
WITH a, dm, dm_last, c, max(cx.at) AS c_last, collect([length(p), [n IN nodes(p) | n.id]]) AS lines
// The shortest line; among lines as short, the one whose ids sort first (not the engine's row order).
WITH a, dm, dm_last, c, c_last, reduce(best = null, x IN lines |
       CASE WHEN best IS NULL OR x[0] < best[0]
              OR (x[0] = best[0] AND reduce(k = '', i IN x[1] | k + i + '>') < reduce(k = '', i IN best[1] | k + i + '>'))
            THEN x ELSE best END) AS line
WITH a, dm, dm_last, c, c_last, line[0] AS hops, line[1] AS path
RETURN a.id AS account_id, a.name AS account_name, a.stage AS stage, dm.id AS decision_maker_id,
       dm.title AS decision_maker_title, dm_last AS decision_maker_last_active, c.id AS contact_id,
       c.title AS contact_title, c_last AS contact_last_active, hops, path
ORDER BY hops, account_id, contact_id, decision_maker_id
LIMIT $limit
