// The ABM board: accounts with stage, scores, missing roles and time in stage, filtered and paged.
// Sorting is by one of the score columns (descending) or name; `skip` is the page offset.
// `q` matches a lower-case substring of the name or the domain (the caller lower-cases it).
// @param stage STRING = null only this stage
// @param segment STRING = null only this segment
// @param industry STRING = null only this industry
// @param owner STRING = null only accounts of this owner
// @param missing_role STRING = null only accounts whose latest qualification misses this role
// @param q STRING = null only accounts whose lower-cased name or domain contains this
// @param min_score FLOAT = null only accounts with mqa_score >= this
// @param sort STRING = "mqa_score" mqa_score | engagement | fit | stage_since | name
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
MATCH (a:Account)
WHERE ($stage IS NULL OR a.stage = $stage)
  AND ($segment IS NULL OR a.segment = $segment)
  AND ($industry IS NULL OR a.industry = $industry)
  AND ($owner IS NULL OR a.owner = $owner)
  AND ($missing_role IS NULL OR $missing_role IN coalesce(a.missing_roles, []))
  AND ($q IS NULL OR toLower(coalesce(a.name, '')) CONTAINS $q OR toLower(coalesce(a.domain, '')) CONTAINS $q)
  AND ($min_score IS NULL OR coalesce(a.mqa_score, 0) >= $min_score)
WITH a,
     CASE $sort WHEN 'engagement' THEN coalesce(a.engagement, 0) WHEN 'fit' THEN coalesce(a.fit, 0)
                WHEN 'stage_since' THEN -coalesce(a.stage_since, 0) WHEN 'name' THEN 0
                ELSE coalesce(a.mqa_score, 0) END AS score
RETURN a.id AS id, a.name AS name, a.domain AS domain, a.segment AS segment, a.industry AS industry,
       a.stage AS stage, a.stage_since AS stage_since, a.fit AS fit, a.engagement AS engagement,
       a.mqa_score AS mqa_score, coalesce(a.missing_roles, []) AS missing_roles, a.owner AS owner
ORDER BY score DESC, (CASE WHEN $sort = 'name' THEN a.name ELSE '' END), id
SKIP $skip
LIMIT $limit
