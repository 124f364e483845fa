// One contact with its account, manager and buying roles.
// @param id STRING the contact id
// @column contact MAP the contact's properties
// @column account_id STRING its account, or null
// @column reports_to STRING its manager, or null
// @column roles LIST<MAP> {role, source, confidence, at, buying_group}
MATCH (c:Contact {id: $id})
OPTIONAL MATCH (c)-[:WORKS_AT]->(a:Account)
OPTIONAL MATCH (c)-[:REPORTS_TO]->(m:Contact)
OPTIONAL MATCH (c)-[r:MEMBER_OF]->(g:BuyingGroup)
RETURN properties(c) AS contact, a.id AS account_id, m.id AS reports_to,
       collect(CASE WHEN r IS NULL THEN NULL
               ELSE {role: r.role, source: r.source, confidence: r.confidence, at: r.at, buying_group: g.id} END) AS roles
