// The buying groups of one account with their members' roles (issue 15), by name.
// @param id STRING the account
// @column name STRING
// @column kind STRING null when none was given
// @column created_by STRING who created it through the API (null: created by ingest or the account)
// @column members LIST<MAP> {contact_id, role, source, confidence}
MATCH (:Account {id: $id})-[:HAS_BUYING_GROUP]->(g:BuyingGroup)
OPTIONAL MATCH (c:Contact)-[r:MEMBER_OF]->(g)
WITH g, collect(CASE WHEN r IS NULL THEN NULL
                ELSE {contact_id: c.id, role: r.role, source: r.source, confidence: r.confidence} END) AS members
RETURN g.name AS name, g.kind AS kind, g.created_by AS created_by, members
ORDER BY name
