// Accounts that have been MQA for more than `min_days` days without reaching SQL, longest first,
// with the buying roles still missing (as the rules engine last wrote them): the accounts where
// marketing is done and sales cannot start until someone finds the decision maker.
// @param min_days FLOAT = 30 how long in MQA counts as stuck, in days
// @param now FLOAT = null reference time, epoch seconds (default: the service clock)
// @param limit INTEGER = 100 at most this many accounts
// @column id STRING the account
// @column name STRING the account's name
// @column segment STRING the account's segment
// @column industry STRING the account's industry
// @column owner STRING the account owner (sales rep)
// @column mqa_since FLOAT when it became MQA, epoch seconds
// @column days_in_mqa FLOAT days since it became MQA
// @column mqa_score FLOAT its MQA score when last evaluated
// @column missing_roles LIST<STRING> required buying roles not covered
MATCH (a:Account)
WHERE a.stage = 'mqa' AND a.stage_since <= $now - $min_days * 86400.0
RETURN a.id AS id, a.name AS name, a.segment AS segment, a.industry AS industry, a.owner AS owner,
       a.stage_since AS mqa_since, ($now - a.stage_since) / 86400.0 AS days_in_mqa, a.mqa_score AS mqa_score,
       coalesce(a.missing_roles, []) AS missing_roles
ORDER BY days_in_mqa DESC, id
LIMIT $limit
