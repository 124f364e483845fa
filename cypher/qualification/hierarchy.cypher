// An account with the accounts above it (SUBSIDIARY_OF, nearest first) and every account below it,
// each with its stage and MQA score: a parent with its subsidiaries' stages (issue 15). Variable-
// length matching never uses a relationship twice in a path, so a loop stored before loops were
// refused still ends.
// @param id STRING the account
// @column account MAP {id, name, stage, mqa_score}
// @column ancestors LIST<MAP> {id, name, stage, mqa_score, level} (level 1 = the parent)
// @column subsidiaries LIST<MAP> {id, name, stage, mqa_score, level, parent_id} (level 1 = direct)
MATCH (a:Account {id: $id})
OPTIONAL MATCH up_path = (a)-[:SUBSIDIARY_OF*1..]->(up:Account)
WITH a, collect(CASE WHEN up IS NULL THEN NULL
                ELSE {id: up.id, name: up.name, stage: up.stage, mqa_score: up.mqa_score, level: length(up_path)} END) AS ancestors
OPTIONAL MATCH down_path = (down:Account)-[:SUBSIDIARY_OF*1..]->(a)
OPTIONAL MATCH (down)-[:SUBSIDIARY_OF]->(dp:Account)
WITH a, ancestors,
     collect(CASE WHEN down IS NULL THEN NULL
             ELSE {id: down.id, name: down.name, stage: down.stage, mqa_score: down.mqa_score,
                   level: length(down_path), parent_id: dp.id} END) AS subsidiaries
RETURN a {.id, .name, .stage, .mqa_score} AS account, ancestors, subsidiaries
