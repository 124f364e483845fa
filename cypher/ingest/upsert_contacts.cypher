// Upsert a batch of contacts by id (only the fields in `props` are set).
// @param rows LIST<MAP> {id, props}
// @param now FLOAT epoch seconds of the write
// @param batch STRING a token unique to this request: new nodes carry it
// @column created INTEGER contacts that did not exist before
// @column total INTEGER contacts in the batch
UNWIND $rows AS row
MERGE (c:Contact {id: row.id})
ON CREATE SET c.batch = $batch, c.created_at = $now, c.updated_at = $now, c.status = 'active'
SET c += row.props
RETURN sum(CASE WHEN c.batch = $batch THEN 1 ELSE 0 END) AS created, count(c) AS total
