// Buying-center coverage across all accounts in a stage (MQA by default): for each required role,
// how many of those accounts still miss it (as the rules engine last wrote `missing_roles`). Roles
// no account misses have no row; `complete` counts the accounts that miss nothing.
// @param stage STRING = "mqa" the stage whose accounts are counted
// @param segment STRING = null only accounts of this segment (default: all)
// @column role STRING a required buying role
// @column missing INTEGER accounts that miss it
// @column accounts INTEGER accounts in the stage (and segment)
// @column complete INTEGER accounts that miss no role
// @column share FLOAT missing / accounts
MATCH (a:Account)
WHERE a.stage = $stage AND ($segment IS NULL OR a.segment = $segment)
WITH count(a) AS accounts, collect(coalesce(a.missing_roles, [])) AS gaps
WITH accounts, gaps, size([g IN gaps WHERE size(g) = 0]) AS complete
UNWIND gaps AS roles
UNWIND roles AS role
RETURN role, count(*) AS missing, accounts, complete, toFloat(count(*)) / accounts AS share
ORDER BY missing DESC, role
