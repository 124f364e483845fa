// Upsert a batch of contacts by id (only the fields in `props` are set).
// @param rows LIST<MAP> {id, props}
// @param now FLOAT epoch seconds of the write
// @column created INTEGER contacts that did not exist before
// @column total INTEGER contacts in the batch
UNWIND $rows AS row
MERGE (c:Contact {id: row.id})
ON CREATE SET c.created_at = $now, c.updated_at = $now, c.status = 'active'
SET c += row.props
RETURN sum(CASE WHEN c.created_at = $now THEN 1 ELSE 0 END) AS created, count(c) AS total
