// Every stage change of one account, oldest first.
// @param id STRING the account
// @column id STRING the StageChange id
// @column from STRING
// @column to STRING
// @column at FLOAT epoch seconds
// @column actor STRING rules@<version> or a user
// @column action STRING the sales action, null for the rules engine
// @column reason STRING
// @column ruleset STRING
// @column group STRING the buying group a rules change went by (the one that qualified; issue 15), null for people's
MATCH (:Account {id: $id})-[:TRANSITIONED]->(s:StageChange)
RETURN s.id AS id, s.from AS from, s.to AS to, s.at AS at, s.actor AS actor, s.action AS action,
       s.reason AS reason, s.ruleset AS ruleset, s.group AS group
ORDER BY at, id
