// What candidate duplicate accounts are found by: every account's id, name and domain.
// @column id STRING
// @column name STRING
// @column domain STRING
MATCH (a:Account)
RETURN a.id AS id, a.name AS name, a.domain AS domain
ORDER BY id
