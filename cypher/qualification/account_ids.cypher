// Account ids in id order, a page at a time (full requalification walks them all).
// @param after STRING = "" ids greater than this
// @param limit INTEGER = 1000 page size
// @column id STRING
MATCH (a:Account)
WHERE a.id > $after
RETURN a.id AS id
ORDER BY id
LIMIT $limit
