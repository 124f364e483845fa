// For the accounts of a board page: each one's parent and every account below it (SUBSIDIARY_OF, up
// to five levels) with its stage and MQA score, for `GET /v1/accounts?group_by=parent` (issue 15).
// Accounts with neither come back with a null parent and no subsidiaries.
// @param ids LIST<STRING> the page's accounts
// @column id STRING
// @column parent_id STRING null at the top of a hierarchy
// @column subsidiaries LIST<MAP> {id, name, stage, mqa_score, level, parent_id} (level 1 = direct)
UNWIND $ids AS id
MATCH (a:Account {id: id})
OPTIONAL MATCH (a)-[:SUBSIDIARY_OF]->(p:Account)
OPTIONAL MATCH down_path = (down:Account)-[:SUBSIDIARY_OF*1..5]->(a)
OPTIONAL MATCH (down)-[:SUBSIDIARY_OF]->(dp:Account)
RETURN id, p.id AS parent_id,
       collect(CASE WHEN down IS NULL THEN NULL
               ELSE {id: down.id, name: down.name, stage: down.stage, mqa_score: down.mqa_score,
                     level: length(down_path), parent_id: dp.id} END) AS subsidiaries
