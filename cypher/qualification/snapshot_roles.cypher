// The buying roles of the accounts' contacts, one row per role (contacts without a role: no row).
// Separate from snapshot_contacts so the contact rows need no collect; and a
// plain MATCH, not a pattern comprehension: FalkorDB 4.16 returned null relationship properties
// from `[(c)-[r:MEMBER_OF]->(g) | r.role]` for MERGEd relationships.
// @param ids LIST<STRING> the accounts
// @column contact_id STRING
// @column role STRING
// @column source STRING
// @column confidence FLOAT
// @column buying_group STRING the buying group's name
// @column group_kind STRING the buying group's kind (product line / initiative type; issue 15), null if none
// @column at FLOAT epoch seconds the role was set
UNWIND $ids AS account_id
MATCH (c:Contact)-[:WORKS_AT]->(:Account {id: account_id})
MATCH (c)-[r:MEMBER_OF]->(g:BuyingGroup)
RETURN c.id AS contact_id, r.role AS role, r.source AS source, r.confidence AS confidence,
       g.name AS buying_group, g.kind AS group_kind, r.at AS at
