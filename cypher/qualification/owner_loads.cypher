// Routing (issue 12), least_loaded: how many open accounts (stage mqa or sql) each candidate owns.
// @param owners LIST<STRING> the team's members
// @column owner STRING a member owning at least one open account
// @column open INTEGER the open accounts they own
UNWIND $owners AS owner
MATCH (a:Account {owner: owner})
WHERE a.stage IN ['mqa', 'sql']
RETURN owner, count(a) AS open
