// Contacts with the given emails, with their account (activities and leads given by email).
// @param emails LIST<STRING> lower-cased emails
// @column id STRING
// @column email STRING
// @column account_id STRING
MATCH (c:Contact)
WHERE c.email IN $emails
OPTIONAL MATCH (c)-[:WORKS_AT]->(a:Account)
RETURN c.id AS id, c.email AS email, a.id AS account_id
ORDER BY id
