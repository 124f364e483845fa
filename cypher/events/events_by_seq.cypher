// Events by id, with the account's name (for chat messages).
// @param seqs LIST<INTEGER> event ids
// @column seq INTEGER
// @column type STRING
// @column account STRING
// @column at FLOAT epoch seconds
// @column actor STRING
// @column owner STRING
// @column change STRING
// @column payload STRING JSON
// @column removed LIST<STRING>
// @column account_name STRING
MATCH (e:Event)
WHERE e.seq IN $seqs
OPTIONAL MATCH (a:Account {id: e.account})
RETURN e.seq AS seq, e.type AS type, e.account AS account, e.at AS at, e.actor AS actor, e.owner AS owner,
       e.change AS change, e.payload AS payload, e.removed AS removed, a.name AS account_name
ORDER BY seq
