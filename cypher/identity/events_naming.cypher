// Outbox events whose payload mentions any of these contact ids (an erasure rewrites them).
// @param ids LIST<STRING> the contact's id and the ids merged into it
// @column seq INTEGER the event
// @column payload STRING its payload (JSON)
UNWIND $ids AS x
MATCH (e:Event)
WHERE e.payload CONTAINS x
RETURN DISTINCT e.seq AS seq, e.payload AS payload
ORDER BY seq
