// The board of one stage by name, lowest first; board_ascending.cypher with sort = name:
// board_first_name.cypher with the stage given (qualification/board.py reads a stage's board through this
// one), from the same floor, with the same proof that a full answer ($limit rows) is exactly the full
// read's first rows (see board_first_name.cypher). The stage is an equality (no `$stage IS NULL OR`), so
// the engines can seek it: Neo4j through the composite range index (account_stage_name,
// cypher/schema/neo4j.cypher), whose order the ORDER BY follows (a.stage, a.name: one stage, so the same
// rows in the same order as by name alone) and the page is a top-k over an ordered seek that stops after
// about `skip + limit` entries; FalkorDB, which has no name index (falkordb.cypher says why), reads the
// stage's accounts from its stage index and filters the names (board_first_name.cypher scans every
// account there). Without a remembered floor the caller passes an open one (a name above any real one),
// and falls back to the full read when fewer than $limit rows come back.
// Since 2026-12-03 it also bounds Account.name_key (graphsvc/store/sort_keys.py: the name's first 6
// UTF-8 bytes as a number) by $ceiling, the floor's: a numeric range FalkorDB's index honours (it
// has no index on the name), read before the name itself is compared. UTF-8 byte order is code
// point order, the engines' string order, so the key never leaves out a name at or below $floor.
// @param floor STRING only accounts whose name is at most this
// @param ceiling INTEGER the floor's name_key: only accounts whose name_key is at most this
// @param stage STRING only this stage (given: board.py reads the stage's board through these statements)
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
// `a.id IS NOT NULL` is always true: it lets Neo4j seek its (stage, sort, id) index, whose order
// breaks ties (then by id), so a page is a Limit over
// the index, not a top-k over every account tied at the bound (issue 10: at 100k, 75k
// accounts shared one stage_since, 29k one fit).
MATCH (a:Account)
WHERE a.stage = $stage
  AND a.name_key <= $ceiling
  AND a.name <= $floor
  AND a.id IS NOT NULL
  AND ($segment IS NULL OR a.segment = $segment)
  AND ($industry IS NULL OR a.industry = $industry)
  AND ($owner IS NULL OR a.owner = $owner)
  AND ($missing_role IS NULL OR $missing_role IN coalesce(a.missing_roles, []))
  AND ($q IS NULL OR toLower(coalesce(a.name, '')) CONTAINS $q OR toLower(coalesce(a.domain, '')) CONTAINS $q)
  AND ($min_score IS NULL OR coalesce(a.mqa_score, 0) >= $min_score)
WITH a
ORDER BY a.stage, a.name, a.id
SKIP $skip
LIMIT $limit
RETURN a.id AS id, a.name AS name, a.domain AS domain, a.segment AS segment, a.industry AS industry,
       a.stage AS stage, a.stage_since AS stage_since, a.fit AS fit, a.engagement AS engagement,
       a.mqa_score AS mqa_score, coalesce(a.missing_roles, []) AS missing_roles, a.owner AS owner
