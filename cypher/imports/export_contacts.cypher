// Contacts with their account and buying roles, for export: the contacts of a page of ids
// (read/contact_ids), in id order.
// @param ids LIST<STRING> contact ids
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
UNWIND $ids AS id
MATCH (c:Contact {id: id})
OPTIONAL MATCH (c)-[:WORKS_AT]->(a:Account)
OPTIONAL MATCH (c)-[r:MEMBER_OF]->(:BuyingGroup)
WITH c, a, collect(DISTINCT r.role) AS roles
RETURN c.id AS id, c.email AS email, c.first_name AS first_name, c.last_name AS last_name, c.title AS title,
       c.status AS status, c.lifecycle_stage AS lifecycle_stage, c.lead_status AS lead_status,
       a.id AS account_id, a.name AS account_name, roles
ORDER BY id
