// What candidate duplicate contacts are found by: every contact's id, email, name and account.
// @column id STRING
// @column email STRING
// @column first_name STRING
// @column last_name STRING
// @column account_id STRING its account, or null
MATCH (c:Contact)
OPTIONAL MATCH (c)-[:WORKS_AT]->(a:Account)
RETURN c.id AS id, c.email AS email, c.first_name AS first_name, c.last_name AS last_name, a.id AS account_id
ORDER BY id
