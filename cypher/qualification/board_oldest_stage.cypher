// The board by time in stage (longest first: oldest stage_since first; board_ascending.cypher with
// sort = since_key) read through the range index on Account.since_key up to a ceiling: only
// accounts whose since_key is at most $floor are read, so a first page costs about its
// size instead of a pass over every account (issue 10). The full read counts a missing since_key
// as below every other, so such an account would sort first and is in no index: the caller
// (qualification/board.py) calls this only while qualification/accounts_lacking_sort_keys, run at
// most every BoardFloors.look_every_s, found none. Every write that creates an account sets
// stage_since and its since_key, and the store's start derives them for older data
// (qualification/backfill_stage_since, then the keys: graphsvc/store/backfill.py),
// so that look finds nothing in practice. Until 2026-12-01 the look was part of this statement: a
// label scan of every account on each page (124 ms of a 160 ms page on Neo4j at 100k accounts,
// docs/benchmarks.md). With none missing, every account read here sorts before every account not
// read (a larger since_key), and a full answer ($limit rows) is exactly board_ascending.cypher's
// first rows. The caller takes $floor from the previous answer's last since_key, or an open bound
// (every account), and falls back to board_ascending.cypher when fewer than $limit rows come back.
// Since 2026-12-03 it reads Account.since_key (graphsvc/store/sort_keys.py: stage_since in ms and the
// account's creation number `seq` in one integer), so ties go by seq from the lowest (the oldest
// account first; accounts older than the key were numbered in id order, so theirs kept the order
// they had), and no page reads a whole tie group: one number, one range (issue 10).
// @param floor INTEGER only accounts whose since_key is at most this
// @param stage STRING = null only this stage
// @param segment STRING = null only this segment
// @param industry STRING = null only this industry
// @param owner STRING = null only accounts of this owner
// @param missing_role STRING = null only accounts whose latest qualification misses this role
// @param q STRING = null only accounts whose lower-cased name or domain contains this
// @param min_score FLOAT = null only accounts with mqa_score >= this
// @param skip INTEGER = 0 offset
// @param limit INTEGER = 50 page size
// @column id STRING
// @column name STRING
// @column domain STRING
// @column segment STRING
// @column industry STRING
// @column stage STRING
// @column stage_since FLOAT
// @column fit FLOAT
// @column engagement FLOAT
// @column mqa_score FLOAT
// @column missing_roles LIST<STRING>
// @column owner STRING
// @column sort_key INTEGER the account's since_key (the next ceiling)
// `a.id IS NOT NULL` is always true: it lets Neo4j seek its (since_key, id) index, whose order
// breaks the rare equal keys (then by id), so a page is a Limit over
// the index, not a top-k over every account tied at the bound (issue 10: at 100k, 75k
// accounts shared one stage_since, 29k one fit).
MATCH (a:Account)
WHERE a.since_key <= $floor
  AND a.id IS NOT NULL
  AND ($stage IS NULL OR a.stage = $stage)
  AND ($segment IS NULL OR a.segment = $segment)
  AND ($industry IS NULL OR a.industry = $industry)
  AND ($owner IS NULL OR a.owner = $owner)
  AND ($missing_role IS NULL OR $missing_role IN coalesce(a.missing_roles, []))
  AND ($q IS NULL OR toLower(coalesce(a.name, '')) CONTAINS $q OR toLower(coalesce(a.domain, '')) CONTAINS $q)
  AND ($min_score IS NULL OR coalesce(a.mqa_score, 0) >= $min_score)
WITH a
ORDER BY a.since_key, a.id
SKIP $skip
LIMIT $limit
RETURN a.id AS id, a.name AS name, a.domain AS domain, a.segment AS segment, a.industry AS industry,
       a.stage AS stage, a.stage_since AS stage_since, a.fit AS fit, a.engagement AS engagement,
       a.mqa_score AS mqa_score, coalesce(a.missing_roles, []) AS missing_roles, a.owner AS owner, a.since_key AS sort_key
