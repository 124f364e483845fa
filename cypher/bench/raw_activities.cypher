// Benchmark baseline only: activities, who performed them, their asset and campaign, one UNWIND
// per batch, no checks and no requalification.
// @param rows LIST<MAP> {id, contact_id, type, at, channel, asset, campaign}
UNWIND $rows AS row
MATCH (c:Contact {id: row.contact_id})
MERGE (x:Activity {id: row.id})
SET x.type = row.type, x.at = row.at, x.channel = row.channel
MERGE (c)-[:PERFORMED]->(x)
FOREACH (_ IN CASE WHEN row.asset IS NULL THEN [] ELSE [1] END |
  MERGE (s:Asset {id: row.asset})
  MERGE (x)-[:ON]->(s))
FOREACH (_ IN CASE WHEN row.campaign IS NULL THEN [] ELSE [1] END |
  MERGE (k:Campaign {id: row.campaign})
  MERGE (x)-[:PART_OF]->(k))
