// Benchmark baseline only: accounts straight into the graph, one UNWIND per batch, no checks.
// @param rows LIST<MAP> {id, props}
UNWIND $rows AS row
MERGE (a:Account {id: row.id})
SET a += row.props
