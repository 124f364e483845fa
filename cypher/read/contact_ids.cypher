// Contact ids in id order, a large page at a time: the contacts export and the engagement rebuild
// then take the contacts of a page by id, a small page at a time (imports/export_contacts,
// qualification/engagement_rebuild). On FalkorDB a range read hands back every
// id after `after` before the sort keeps `limit` of them (~1.9 us each): at 1M contacts, pages of
// 1,000 cost ~16 minutes of range reads, pages of 50,000 ~20 s (docs/benchmarks.md, "Exports at 100k").
// @param after STRING = "" ids greater than this
// @param limit INTEGER = 50000 page size
// @column id STRING
MATCH (c:Contact)
WHERE c.id > $after
RETURN c.id AS id
ORDER BY id
LIMIT $limit
