// How many accounts a write marked for requalification that no requalification has cleared yet:
// what `POST /v1/activities?requalify=later` left to the pending drain, or what a failure left.
// `>= ''` as in pending_accounts: a range the requalify_pending index serves on both engines.
// @column pending INTEGER marked accounts
MATCH (a:Account)
WHERE a.requalify_pending >= ''
RETURN count(a) AS pending
