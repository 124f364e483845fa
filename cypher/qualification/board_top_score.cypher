// The board's default order (MQA score, highest first; board.cypher) read through the range index on
// Account.mqa_score from a floor: only accounts scoring at least $floor are read, so a first page
// costs about its size instead of a pass over every account (issue 10: the board at 100k accounts).
// The caller (qualification/board.py) picks the floor from the previous answer to the same filters
// and checks the answer: when fewer than $limit rows reach the floor, the page may continue below it
// and board.cypher answers instead. Every account at or above the floor sorts before every account
// below it, so a full answer here is exactly board.cypher's first $limit rows.
// @param floor FLOAT only accounts with mqa_score >= this (> 0: a missing score counts as 0)
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
// `a.id IS NOT NULL` is always true: it lets Neo4j seek its (sort, id) index, whose order
// breaks ties (id from the highest too: the index read backwards), so a page is a Limit over
// the index, not a top-k over every account tied at the bound (issue 10: at 100k, 75k
// accounts shared one stage_since, 29k one fit).
MATCH (a:Account)
WHERE a.mqa_score >= $floor
  AND a.id IS NOT NULL
  AND ($stage IS NULL OR a.stage = $stage)
  AND ($segment IS NULL OR a.segment = $segment)
  AND ($industry IS NULL OR a.industry = $industry)
  AND ($owner IS NULL OR a.owner = $owner)
  AND ($missing_role IS NULL OR $missing_role IN coalesce(a.missing_roles, []))
  AND ($q IS NULL OR toLower(coalesce(a.name, '')) CONTAINS $q OR toLower(coalesce(a.domain, '')) CONTAINS $q)
  AND ($min_score IS NULL OR a.mqa_score >= $min_score)
WITH a
ORDER BY a.mqa_score DESC, a.id DESC
SKIP $skip
LIMIT $limit
RETURN a.id AS id, a.name AS name, a.domain AS domain, a.segment AS segment, a.industry AS industry,
       a.stage AS stage, a.stage_since AS stage_since, a.fit AS fit, a.engagement AS engagement,
       a.mqa_score AS mqa_score, coalesce(a.missing_roles, []) AS missing_roles, a.owner AS owner
