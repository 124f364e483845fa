// The board of one stage by fit, highest first; board.cypher with sort = fit: board_top_fit.cypher with
// the stage given (qualification/board.py reads a stage's board through this one), from the same floor,
// with the same proof that a full answer ($limit rows) is exactly the full read's first rows (see
// board_top_fit.cypher). The stage is an equality (no `$stage IS NULL OR`), so the engines can seek it:
// Neo4j through the composite range index (account_stage_fit_key_id, cypher/schema/neo4j.cypher), whose order the
// ORDER BY follows (a.stage DESC, a.fit_key DESC: one stage, so the same rows in the same order as by fit_key
// alone) and the page is a top-k over an ordered seek that stops after about `skip + limit` entries;
// FalkorDB, which has no composite index, answers both predicates from its one Account index in one scan
// (the stage's accounts at or above $floor only). Neither then depends on where the stage's accounts sit
// among all accounts (board_top_score.cypher walks the score index from the top and filters the stage: for
// the lowest-scoring stage most of the graph; issue 10, docs/benchmarks.md). Without a remembered floor
// the caller passes an open one (any account with a value counts), and falls back to the full read when
// fewer than $limit rows come back.
// Since 2026-12-03 it reads Account.fit_key (graphsvc/store/sort_keys.py: the fit in 10^-4 and the
// account's creation number `seq` in one integer), so ties go by seq from the highest (the newest
// account first; accounts older than the key were numbered in id order, so theirs kept the order
// they had), and no page reads a whole tie group: one number, one range (issue 10).
// @param floor INTEGER only accounts whose fit_key is at least this
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
// @column sort_key INTEGER the account's fit_key (the next floor)
// `a.id IS NOT NULL` is always true: it lets Neo4j seek its (stage, fit_key, id) index, whose order
// breaks the rare equal keys (id from the highest too: the index read backwards), so a page is a Limit over
// the index, not a top-k over every account tied at the bound (issue 10: at 100k, 75k
// accounts shared one stage_since, 29k one fit).
MATCH (a:Account)
WHERE a.stage = $stage
  AND a.fit_key >= $floor
  AND a.id IS NOT NULL
  AND ($segment IS NULL OR a.segment = $segment)
  AND ($industry IS NULL OR a.industry = $industry)
  AND ($owner IS NULL OR a.owner = $owner)
  AND ($missing_role IS NULL OR $missing_role IN coalesce(a.missing_roles, []))
  AND ($q IS NULL OR toLower(coalesce(a.name, '')) CONTAINS $q OR toLower(coalesce(a.domain, '')) CONTAINS $q)
  AND ($min_score IS NULL OR coalesce(a.mqa_score, 0) >= $min_score)
WITH a
ORDER BY a.stage DESC, a.fit_key DESC, a.id DESC
SKIP $skip
LIMIT $limit
RETURN a.id AS id, a.name AS name, a.domain AS domain, a.segment AS segment, a.industry AS industry,
       a.stage AS stage, a.stage_since AS stage_since, a.fit AS fit, a.engagement AS engagement,
       a.mqa_score AS mqa_score, coalesce(a.missing_roles, []) AS missing_roles, a.owner AS owner, a.fit_key AS sort_key
