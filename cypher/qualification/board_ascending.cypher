// The ABM board sorted ascending: by time in stage (`sort` = since_key, longest first, ties by creation:
// graphsvc/store/sort_keys.py; an account without one sorts first) or by name (no name last); see board.cypher,
// whose filters and columns this shares.
// `q` matches a lower-case substring of the name or the domain (the caller lower-cases it).
// @param stage STRING = null only this stage
// @param segment STRING = null only this segment
// @param industry STRING = null only this industry
// @param owner STRING = null only accounts of this owner
// @param missing_role STRING = null only accounts whose latest qualification misses this role
// @param q STRING = null only accounts whose lower-cased name or domain contains this
// @param min_score FLOAT = null only accounts with mqa_score >= this
// @param sort STRING = "name" since_key (the board by time in stage, graphsvc/store/sort_keys.py) | name
// @param missing ANY = null what a missing sort value counts as (below every since_key for time in stage: -2^62; null sorts last)
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
// @column sort_key ANY the sort property's value (the next floor)
MATCH (a:Account)
WHERE ($stage IS NULL OR a.stage = $stage)
  AND ($segment IS NULL OR a.segment = $segment)
  AND ($industry IS NULL OR a.industry = $industry)
  AND ($owner IS NULL OR a.owner = $owner)
  AND ($missing_role IS NULL OR $missing_role IN coalesce(a.missing_roles, []))
  AND ($q IS NULL OR toLower(coalesce(a.name, '')) CONTAINS $q OR toLower(coalesce(a.domain, '')) CONTAINS $q)
  AND ($min_score IS NULL OR coalesce(a.mqa_score, 0) >= $min_score)
WITH a
ORDER BY coalesce(a[$sort], $missing), a.id
SKIP $skip
LIMIT $limit
RETURN a.id AS id, a.name AS name, a.domain AS domain, a.segment AS segment, a.industry AS industry,
       a.stage AS stage, a.stage_since AS stage_since, a.fit AS fit, a.engagement AS engagement,
       a.mqa_score AS mqa_score, coalesce(a.missing_roles, []) AS missing_roles, a.owner AS owner, a[$sort] AS sort_key
