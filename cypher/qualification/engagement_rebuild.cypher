// Rebuild the engagement aggregates of a page of contacts (in id order) from their activities, for
// a half-life: per activity type the count, the newest time and sum 0.5^((newest - at) / h).
// Each contact's write lock is taken first (Neo4j read committed), so an activity recorded at the
// same time either is seen here or updates the rebuilt aggregate afterwards.
// @param after STRING the last contact id of the previous page ("" to start)
// @param limit INTEGER contacts per page
// @param half_life_s FLOAT the half-life in seconds
// @column contacts INTEGER contacts rebuilt in this page (0: done)
// @column last STRING the last contact id of this page
// @column activities INTEGER activities read
MATCH (c:Contact)
WHERE c.id > $after
WITH c
ORDER BY c.id
LIMIT $limit
SET c.lock_ = true
REMOVE c.lock_
WITH c
OPTIONAL MATCH (c)-[:PERFORMED]->(x:Activity)
WITH c, x.type AS type, count(x) AS n, max(x.at) AS top, collect(x.at) AS ats
WITH c, type, n, top, reduce(s = 0.0, t IN ats | s + 0.5 ^ ((top - t) / $half_life_s)) AS w
WITH c, collect(type) AS types, collect(CASE WHEN type IS NULL THEN NULL ELSE n END) AS counts,
     collect(CASE WHEN type IS NULL THEN NULL ELSE top END) AS lasts,
     collect(CASE WHEN type IS NULL THEN NULL ELSE w END) AS weights, sum(n) AS activities
SET c.eng_half_life = $half_life_s,
    c.eng_types = CASE WHEN size(types) = 0 THEN NULL ELSE types END,
    c.eng_counts = CASE WHEN size(types) = 0 THEN NULL ELSE counts END,
    c.eng_last = CASE WHEN size(types) = 0 THEN NULL ELSE lasts END,
    c.eng_weights = CASE WHEN size(types) = 0 THEN NULL ELSE weights END
RETURN count(c) AS contacts, max(c.id) AS last, sum(activities) AS activities
