// Issue 10: accounts whose evaluation can change by now with no new data (decay past a bar, a
// window expiring, a hold running out): `requalify_at`, written with each outcome by
// record_outcomes, is at or before $now. The periodic requalifier reads them a page at a time and
// requalifies them, which moves their requalify_at past $now (or removes it), so it asks again
// until none is left; no ORDER BY, so both engines answer from the range index on requalify_at
// (cypher/schema/<dialect>.cypher) and the read costs what is due, not what is stored.
// @param now FLOAT epoch seconds
// @param limit INTEGER = 500 at most this many
// @column id STRING the account
MATCH (a:Account)
WHERE a.requalify_at <= $now
RETURN a.id AS id
LIMIT $limit
