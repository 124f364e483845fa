// What merged ids and emails now stand for: the survivor each alias points at (and, for a contact,
// its account). Ingest follows these before it looks anything else up, so a row that names a merged
// record lands on its survivor.
// @param keys LIST<STRING> 'contact:<id>', 'account:<id>' or 'email:<lower-cased address>'
// @column key STRING the alias
// @column target STRING the survivor's id
// @column account_id STRING the survivor's account (contacts), or null
UNWIND $keys AS k
MATCH (al:Alias {key: k})-[:ALIAS_OF]->(t)
OPTIONAL MATCH (t)-[:WORKS_AT]->(a:Account)
RETURN k AS key, t.id AS target, a.id AS account_id
