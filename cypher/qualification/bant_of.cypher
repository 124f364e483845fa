// The BANT sales recorded for the buying groups of the given accounts (see bant_set).
// @param ids LIST<STRING> the accounts
// @column account_id STRING
// @column group STRING the buying group's name
// @column met LIST<STRING> B-A-N-T: 'yes', 'no' or '' (not recorded)
// @column by LIST<STRING>
// @column at LIST<FLOAT>
// @column notes LIST<STRING>
UNWIND $ids AS account_id
MATCH (:Account {id: account_id})-[:HAS_BUYING_GROUP]->(g:BuyingGroup)
WHERE g.bant_met IS NOT NULL
RETURN account_id, g.name AS group, g.bant_met AS met, g.bant_by AS by, g.bant_at AS at, g.bant_notes AS notes
ORDER BY account_id, group
