// Sales records BANT (budget, authority, need, timeline) for one buying group of an account, with
// who and when, as ONE statement that also marks the account `requalify_pending`. The four fields are
// kept as parallel lists on the group in B-A-N-T order ('yes', 'no', or '' for not recorded; '' and 0
// for by / at when not recorded): no null in a list (Neo4j refuses it) and never a property set to
// null (FalkorDB 4.16 removed the wrong properties when one SET removed several).
// @param account_id STRING the account
// @param group STRING the buying group's name ('default' for the account's default group)
// @param met LIST<STRING> four values in B-A-N-T order: 'yes', 'no', or '' to keep what is recorded
// @param notes LIST<STRING> four notes in B-A-N-T order ('' for none), stored with the fields given
// @param actor STRING who recorded it
// @param now FLOAT epoch seconds
// @param batch STRING a token unique to this request (the pending mark)
// @column met LIST<STRING> the four fields as now recorded
// @column by LIST<STRING> who recorded each
// @column at LIST<FLOAT> when each was recorded (0: never)
// @column notes LIST<STRING>
MATCH (a:Account {id: $account_id})-[:HAS_BUYING_GROUP]->(g:BuyingGroup {name: $group})
SET a.requalify_pending = $batch
WITH g, coalesce(g.bant_met, ['', '', '', '']) AS met, coalesce(g.bant_by, ['', '', '', '']) AS by,
     coalesce(g.bant_at, [0.0, 0.0, 0.0, 0.0]) AS at, coalesce(g.bant_notes, ['', '', '', '']) AS notes
SET g.bant_met = [i IN range(0, 3) | CASE WHEN $met[i] = '' THEN met[i] ELSE $met[i] END],
    g.bant_by = [i IN range(0, 3) | CASE WHEN $met[i] = '' THEN by[i] ELSE $actor END],
    g.bant_at = [i IN range(0, 3) | CASE WHEN $met[i] = '' THEN at[i] ELSE $now END],
    g.bant_notes = [i IN range(0, 3) | CASE WHEN $met[i] = '' THEN notes[i] ELSE $notes[i] END]
RETURN g.bant_met AS met, g.bant_by AS by, g.bant_at AS at, g.bant_notes AS notes
