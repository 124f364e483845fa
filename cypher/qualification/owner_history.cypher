// An account's owner changes (issue 12), oldest first: its owner_assigned outbox events, by a
// person (PUT /v1/accounts/{id}/owner) or by routing; the payload says who and why.
// @param id STRING the account
// @column seq INTEGER the event id
// @column at FLOAT epoch seconds
// @column actor STRING the user, or rules@<version> for routing
// @column owner STRING the new owner
// @column payload STRING JSON: from, to, reason, source (person or routing), rule, team, strategy
MATCH (e:Event {account: $id})
WHERE e.type = 'owner_assigned'
RETURN e.seq AS seq, e.at AS at, e.actor AS actor, e.owner AS owner, e.payload AS payload
ORDER BY seq
