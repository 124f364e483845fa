// Remove buying roles from contacts (in any of their groups, or in one named group).
// @param rows LIST<MAP> {contact_id, role, group_id (null = every group)}
UNWIND $rows AS row
MATCH (c:Contact {id: row.contact_id})-[m:MEMBER_OF]->(g:BuyingGroup)
WHERE m.role = row.role AND (row.group_id IS NULL OR g.id = row.group_id)
DELETE m
RETURN count(*) AS removed
