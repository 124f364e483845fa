// Give contacts buying roles: MEMBER_OF the account's buying group (the default one unless named).
// A role already held in that group is updated (source, confidence, time), never duplicated.
// @param rows LIST<MAP> {contact_id, account_id, group_id, group_name, role, source, confidence}
// @param now FLOAT epoch seconds of the write
UNWIND $rows AS row
MATCH (c:Contact {id: row.contact_id})
MATCH (a:Account {id: row.account_id})
MERGE (g:BuyingGroup {id: row.group_id})
ON CREATE SET g.name = row.group_name
MERGE (a)-[:HAS_BUYING_GROUP]->(g)
MERGE (c)-[m:MEMBER_OF {role: row.role}]->(g)
SET m.source = row.source, m.confidence = row.confidence, m.at = $now
RETURN count(m) AS roles
