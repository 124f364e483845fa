"""Analysts' side of graphsvc: the documented Cypher library in `cypher/analytics/`, its runner
(parameters checked against each query's `@param` header), and the weekly reports built on it."""
