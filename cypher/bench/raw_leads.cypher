// Benchmark baseline only: leads, one UNWIND per batch, no matching.
// @param rows LIST<MAP> {id, props}
UNWIND $rows AS row
MERGE (l:Lead {id: row.id})
SET l += row.props
