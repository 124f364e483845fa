// Record the org chart: each contact REPORTS_TO its manager (replacing an older one; a null
// reports_to removes the line).
// @param rows LIST<MAP> {id, reports_to}
UNWIND $rows AS row
MATCH (c:Contact {id: row.id})
OPTIONAL MATCH (c)-[old:REPORTS_TO]->(:Contact)
DELETE old
WITH DISTINCT c, row
WHERE row.reports_to IS NOT NULL
MATCH (m:Contact {id: row.reports_to})
MERGE (c)-[:REPORTS_TO]->(m)
RETURN count(c) AS linked
