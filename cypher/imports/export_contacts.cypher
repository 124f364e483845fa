// Contacts with their account and buying roles, for export: a page at a time in id order (`after`
// is the last id of the previous page).
// @param after STRING = "" the last id of the previous page ("" for the first)
// @param limit INTEGER = 1000 page size
// @column id STRING
// @column email STRING
// @column first_name STRING
// @column last_name STRING
// @column title STRING
// @column status STRING
// @column lifecycle_stage STRING the CRM's lifecycle stage, as imported
// @column lead_status STRING the CRM's lead status, as imported
// @column account_id STRING
// @column account_name STRING
// @column roles LIST<STRING> buying roles held, any group and source
MATCH (c:Contact)
WHERE c.id > $after
WITH c
ORDER BY c.id
LIMIT $limit
OPTIONAL MATCH (c)-[:WORKS_AT]->(a:Account)
OPTIONAL MATCH (c)-[r:MEMBER_OF]->(:BuyingGroup)
WITH c, a, collect(DISTINCT r.role) AS roles
RETURN c.id AS id, c.email AS email, c.first_name AS first_name, c.last_name AS last_name, c.title AS title,
       c.status AS status, c.lifecycle_stage AS lifecycle_stage, c.lead_status AS lead_status,
       a.id AS account_id, a.name AS account_name, roles
ORDER BY id
