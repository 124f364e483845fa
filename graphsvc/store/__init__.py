"""The graph store: one Cypher implementation over two executors (FalkorDB, Neo4j)."""
