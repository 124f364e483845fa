// On a graph with no contact yet, start keeping the engagement aggregates from the first activity:
// with no contact there is no activity, so "every contact's aggregates match its history" holds
// already and the index is created built, for the active ruleset's half-life. Without it the
// aggregates are only kept after a first full requalification builds them
// (qualification/engagement_rebuild), and until then every requalification, the one each activity
// batch implies included, replays the accounts' whole history. A graph with contacts, or with the
// index, is left alone (the full pass builds it there, as before). Run at `graphsvc serve` start,
// before any request is served.
// @param half_life_s FLOAT the active ruleset's half-life in seconds
// @column started BOOLEAN whether the index was created (the graph had no contact and no index)
OPTIONAL MATCH (ix:EngagementIndex {id: 'engagement'})
WITH count(ix) AS indexes
OPTIONAL MATCH (c:Contact)
WITH indexes, c
LIMIT 1
WITH indexes = 0 AND c IS NULL AS empty
FOREACH (_ IN CASE WHEN empty THEN [1] ELSE [] END |
  MERGE (ix:EngagementIndex {id: 'engagement'})
  SET ix.half_life_s = $half_life_s, ix.built = true)
RETURN empty AS started
