// The board by fit score (highest first; board.cypher with sort = fit_key) read through the range
// index on Account.fit_key from a floor: only accounts with fit_key >= $floor are read, so a first page
// costs about its size instead of a pass over every account (issue 10; board_top_score.cypher is the
// same for the MQA score, and says why a full answer here is exactly board.cypher's first rows).
// The caller (qualification/board.py) picks the floor from the previous answer to the same query and
// falls back to board.cypher when fewer than $limit rows reach it.
// Since 2026-12-03 it reads Account.fit_key (graphsvc/store/sort_keys.py: the fit in 10^-4 and the
// account's creation number `seq` in one integer), so ties go by seq from the highest (the newest
// account first; accounts older than the key were numbered in id order, so theirs kept the order
// they had), and no page reads a whole tie group: one number, one range (issue 10).
// @param floor INTEGER only accounts whose fit_key is at least this
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
// @column sort_key INTEGER the account's fit_key (the next floor)
// `a.id IS NOT NULL` is always true: it lets Neo4j seek its (fit_key, id) index, whose order
// breaks the rare equal keys (id from the highest too: the index read backwards), so a page is a Limit over
// the index, not a top-k over every account tied at the bound (issue 10: at 100k, 75k
// accounts shared one stage_since, 29k one fit).
MATCH (a:Account)
WHERE a.fit_key >= $floor
  AND a.id IS NOT NULL
  AND ($stage IS NULL OR a.stage = $stage)
  AND ($segment IS NULL OR a.segment = $segment)
  AND ($industry IS NULL OR a.industry = $industry)
  AND ($owner IS NULL OR a.owner = $owner)
  AND ($missing_role IS NULL OR $missing_role IN coalesce(a.missing_roles, []))
  AND ($q IS NULL OR toLower(coalesce(a.name, '')) CONTAINS $q OR toLower(coalesce(a.domain, '')) CONTAINS $q)
  AND ($min_score IS NULL OR coalesce(a.mqa_score, 0) >= $min_score)
WITH a
ORDER BY a.fit_key DESC, a.id DESC
SKIP $skip
LIMIT $limit
RETURN a.id AS id, a.name AS name, a.domain AS domain, a.segment AS segment, a.industry AS industry,
       a.stage AS stage, a.stage_since AS stage_since, a.fit AS fit, a.engagement AS engagement,
       a.mqa_score AS mqa_score, coalesce(a.missing_roles, []) AS missing_roles, a.owner AS owner, a.fit_key AS sort_key
