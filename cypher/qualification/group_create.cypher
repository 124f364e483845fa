// Create a buying group of an account (one per initiative, opportunity or product line; issue 15), or
// give an existing one its kind, as ONE statement that also marks the account `requalify_pending`.
// The group's id is `<account>:<slug of the name>`, as ingest derives it from a role's buying_group,
// so roles given later with that name land in it. A null kind keeps the stored one.
// @param account_id STRING the account
// @param group_id STRING <account>:<slug>
// @param group_name STRING the group's name as given
// @param kind STRING = null the product line / initiative type `[[sql.extra_roles]] kind` rules match
// @param actor STRING who created it
// @param now FLOAT epoch seconds
// @param batch STRING a token unique to this request (the pending mark)
// @column name STRING the group's name as stored
// @column kind STRING
// @column created BOOLEAN whether this request created it
MATCH (a:Account {id: $account_id})
MERGE (g:BuyingGroup {id: $group_id})
ON CREATE SET g.name = $group_name, g.created_at = $now, g.created_by = $actor, g.batch = $batch
MERGE (a)-[:HAS_BUYING_GROUP]->(g)
SET g.kind = coalesce($kind, g.kind), a.requalify_pending = $batch
RETURN g.name AS name, g.kind AS kind, g.batch = $batch AS created
