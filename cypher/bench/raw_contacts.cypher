// Benchmark baseline only: contacts and their employer, one UNWIND per batch, no checks.
// @param rows LIST<MAP> {id, account_id, props}
UNWIND $rows AS row
MERGE (c:Contact {id: row.id})
SET c += row.props
WITH c, row
MATCH (a:Account {id: row.account_id})
MERGE (c)-[:WORKS_AT]->(a)
