// Accounts as the board shows them, for export and CRM write-back files, with the dates of their
// qualification: the accounts of a page of ids (qualification/account_ids), in id order. Ids are
// read apart, a large page at a time: see cypher/read/contact_ids for why.
// @param ids LIST<STRING> account ids
// @column id STRING
// @column name STRING
// @column domain STRING
// @column segment STRING
// @column industry STRING
// @column owner STRING
// @column owner_name STRING the owner's name (an import with a users export sets it)
// @column stage STRING
// @column stage_since FLOAT epoch seconds the account entered its stage
// @column qualified_at FLOAT epoch seconds of its latest qualification (MQA or SQL)
// @column fit FLOAT
// @column engagement FLOAT
// @column mqa_score FLOAT
// @column missing_roles LIST<STRING> buying roles the SQL gate still misses
UNWIND $ids AS id
MATCH (a:Account {id: id})
RETURN a.id AS id, a.name AS name, a.domain AS domain, a.segment AS segment, a.industry AS industry,
       a.owner AS owner, a.owner_name AS owner_name, a.stage AS stage, a.stage_since AS stage_since,
       a.qualified_at AS qualified_at,
       a.fit AS fit, a.engagement AS engagement, a.mqa_score AS mqa_score,
       coalesce(a.missing_roles, []) AS missing_roles
ORDER BY id
