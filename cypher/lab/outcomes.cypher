// Recorded outcomes: every change of an account to `won` or `lost` (people's transitions), for
// calibrating and backtesting rulesets against what happened. The caller keeps each account's newest.
// @column id STRING the account
// @column outcome STRING won or lost
// @column at FLOAT epoch seconds of the change
// @column change STRING the StageChange id (orders changes made at the same time)
MATCH (a:Account)-[:TRANSITIONED]->(s:StageChange)
WHERE s.to IN ['won', 'lost']
RETURN a.id AS id, s.to AS outcome, s.at AS at, s.id AS change
ORDER BY id, at, change
