// How many accounts a write marked `requalify_pending` that no requalification has cleared yet:
// 0 once every requalification the writes imply is done (a client of `?requalify=later`, or a
// benchmark, waits for it). Read through the pending-mark index, like qualification/pending_accounts.
// @column accounts INTEGER accounts still marked pending
MATCH (a:Account)
WHERE a.requalify_pending >= ''
RETURN count(a) AS accounts
