// Rebuild the engagement aggregates of a page of contacts (their ids: read/contact_ids) from their
// activities, for a half-life: per activity type the count, the newest time and sum 0.5^((newest - at) / h).
// Each contact's write lock is taken first (Neo4j read committed), so an activity recorded at the
// same time either is seen here or updates the rebuilt aggregate afterwards.
// @param ids LIST<STRING> the contacts of this page
// @param half_life_s FLOAT the half-life in seconds
// @column contacts INTEGER contacts rebuilt in this page
// @column activities INTEGER activities read
UNWIND $ids AS id
MATCH (c:Contact {id: id})
SET c.lock_ = true
REMOVE c.lock_
WITH c
OPTIONAL MATCH (c)-[:PERFORMED]->(x:Activity)
WITH c, x.type AS type, count(x) AS n, max(x.at) AS top, collect(x.at) AS ats
WITH c, type, n, top, reduce(s = 0.0, t IN ats | s + 0.5 ^ ((top - t) / $half_life_s)) AS w
WITH c, collect(type) AS types, collect(CASE WHEN type IS NULL THEN NULL ELSE n END) AS counts,
     collect(CASE WHEN type IS NULL THEN NULL ELSE top END) AS lasts,
     collect(CASE WHEN type IS NULL THEN NULL ELSE w END) AS weights, sum(n) AS activities
SET c.eng_half_life = $half_life_s
// Removals one per update: FalkorDB 4.16 removes the wrong properties when one update removes
// several (graphsvc.ingest.repository.one_removal_per_update).
FOREACH (m IN CASE WHEN size(types) = 0 THEN [{eng_types: NULL}, {eng_counts: NULL}, {eng_last: NULL}, {eng_weights: NULL}]
              ELSE [{eng_types: types, eng_counts: counts, eng_last: lasts, eng_weights: weights}] END |
  SET c += m)
RETURN count(c) AS contacts, sum(activities) AS activities
