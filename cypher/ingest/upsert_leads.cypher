// Upsert leads by id with their match outcome, linking matched ones to their contact.
// @param rows LIST<MAP> {id, props, contact_id (null when unmatched)}
// @param now FLOAT epoch seconds of the write
UNWIND $rows AS row
MERGE (l:Lead {id: row.id})
ON CREATE SET l.updated_at = $now
SET l += row.props
WITH l, row
OPTIONAL MATCH (l)-[old:MATCHED_TO]->(:Contact)
DELETE old
WITH DISTINCT l, row
WHERE row.contact_id IS NOT NULL
MATCH (c:Contact {id: row.contact_id})
MERGE (l)-[:MATCHED_TO]->(c)
RETURN count(l) AS matched
