// Everything the graph holds, for tests that must prove a code path wrote nothing: every node's
// labels and properties and every relationship's type, properties and ends (hashed by the caller).
// For small test graphs only: it returns the whole graph.
// @column nodes LIST<MAP> {labels, props}
// @column rels LIST<MAP> {type, props, start, end}
MATCH (n)
WITH collect({labels: labels(n), props: properties(n)}) AS nodes
OPTIONAL MATCH (a)-[r]->(b)
RETURN nodes, collect(CASE WHEN r IS NULL THEN NULL
                      ELSE {type: type(r), props: properties(r), start: properties(a), end: properties(b)} END) AS rels
