// Record activities, idempotent by id: an id seen before is left exactly as it was. New ones get
// this batch's token, which is how the response tells new rows from duplicates.
// The accounts they touch are marked `requalify_pending` in this same statement, so the
// requalification the write implies is as durable as the write: if the service or the engine dies
// before it runs, the mark stays until a requalification clears it (on the client's retry, which
// lists still-pending accounts of its rows as touched, at start, or in the periodic drain).
//
// Engagement aggregates, in this same statement, for new activities only (a duplicate changes
// nothing): per contact and activity type the count, the newest time and the decay weight sum
// W = sum 0.5^((last_at - at) / h), kept at the newest time last_at, so that at any as_of >= last_at
// the weight is exactly W * 0.5^((as_of - last_at) / h). Adding activities rescales to the new
// newest time first. They live on the Contact as parallel lists (eng_types, eng_counts, eng_last,
// eng_weights) with the half-life they were computed for (eng_half_life): the snapshot then reads
// nothing but the contact it already reads (no per-type nodes or relationships to traverse, no
// extra store records), and it is the same list shape the snapshot returns. The aggregates are
// kept only once a full build has created the EngagementIndex (qualification/engagement_rebuild);
// a contact keeps its own half-life until a rebuild recomputes it from history.
// A row with `first: false` repeats an id of an earlier row of this batch (the repository marks
// them; a row without `first` is the first of its id). Only a first row of a new id creates
// relationships and counts in the aggregates, with its
// own `type` and `at` (which are what the MERGE stored): a repeated id counts once, without reading
// the new nodes back or collecting them DISTINCT, and the relationships of a node created by this
// very row are not looked for before they are created (docs/benchmarks.md, branch ingest4).
// @param rows LIST<MAP> {id, contact_id, type, at, channel, asset, campaign, first}
// @param batch STRING a token unique to this request
// @param now FLOAT epoch seconds of the write
// @column new INTEGER activities created by this batch
// @column duplicate INTEGER rows whose id already existed
// @column accounts LIST<STRING> accounts of the contacts that performed a new activity, or whose requalification is still pending
OPTIONAL MATCH (ix:EngagementIndex {id: 'engagement'})
WITH ix.half_life_s AS ix_h
UNWIND $rows AS row
MATCH (c:Contact {id: row.contact_id})
MERGE (x:Activity {id: row.id})
ON CREATE SET x.type = row.type, x.at = row.at, x.channel = row.channel, x.batch = $batch, x.created_at = $now
WITH ix_h, c, x, row, x.batch = $batch AS is_new, coalesce(row.first, true) AS first_row
// MERGE, not CREATE, for PERFORMED: on Neo4j it locks the contact (LockingMerge) before its
// aggregates are read below, so concurrent batches on one contact add up (CREATE leaves a dense
// node unlocked). The new node's ON and PART_OF cannot exist yet: CREATE.
FOREACH (_ IN CASE WHEN is_new AND first_row THEN [1] ELSE [] END |
  MERGE (c)-[:PERFORMED]->(x))
FOREACH (_ IN CASE WHEN is_new AND first_row AND row.asset IS NOT NULL THEN [1] ELSE [] END |
  MERGE (s:Asset {id: row.asset})
  CREATE (x)-[:ON]->(s))
FOREACH (_ IN CASE WHEN is_new AND first_row AND row.campaign IS NOT NULL THEN [1] ELSE [] END |
  MERGE (k:Campaign {id: row.campaign})
  CREATE (x)-[:PART_OF]->(k))
WITH ix_h, c, row.type AS type, sum(CASE WHEN is_new THEN 1 ELSE 0 END) AS n_new, count(*) AS n_rows,
     collect(CASE WHEN is_new AND first_row THEN row.at END) AS ats,
     max(CASE WHEN is_new AND first_row THEN row.at END) AS top
WITH ix_h, c, type, n_new, n_rows, ats, top, coalesce(c.eng_half_life, ix_h) AS h
WITH ix_h, c, h, sum(n_new) AS n_new, sum(n_rows) AS n_rows,
     collect(CASE WHEN size(ats) > 0 AND h IS NOT NULL
             THEN {type: type, n: size(ats), top: top, w: reduce(s = 0.0, t IN ats | s + 0.5 ^ ((top - t) / h))} END) AS adds
WITH c, h, n_new, n_rows, adds, coalesce(c.eng_types, []) AS ts, coalesce(c.eng_counts, []) AS ns,
     coalesce(c.eng_last, []) AS ls, coalesce(c.eng_weights, []) AS ws
WITH c, h, n_new, n_rows, adds, ts, ns, ls, ws, [a IN adds WHERE NOT a.type IN ts] AS added
FOREACH (_ IN CASE WHEN size(adds) > 0 THEN [1] ELSE [] END |
  SET c.eng_half_life = h,
      c.eng_types = ts + [a IN added | a.type],
      c.eng_counts = [i IN range(0, size(ts) - 1) |
                      reduce(k = ns[i], a IN adds | CASE WHEN a.type = ts[i] THEN k + a.n ELSE k END)]
                     + [a IN added | a.n],
      c.eng_last = [i IN range(0, size(ts) - 1) |
                    reduce(m = ls[i], a IN adds | CASE WHEN a.type = ts[i] AND a.top > m THEN a.top ELSE m END)]
                   + [a IN added | a.top],
      // Both sums rescaled to the later of the two newest times, then added.
      c.eng_weights = [i IN range(0, size(ts) - 1) |
                       reduce(w = ws[i], a IN adds | CASE WHEN a.type <> ts[i] THEN w
                              WHEN a.top > ls[i] THEN w * 0.5 ^ ((a.top - ls[i]) / h) + a.w
                              ELSE w + a.w * 0.5 ^ ((ls[i] - a.top) / h) END)]
                      + [a IN added | a.w])
WITH c, n_new, n_rows
OPTIONAL MATCH (c)-[:WORKS_AT]->(a:Account)
FOREACH (_ IN CASE WHEN n_new > 0 AND a IS NOT NULL THEN [1] ELSE [] END | SET a.requalify_pending = $batch)
RETURN sum(n_new) AS new,
       sum(n_rows - n_new) AS duplicate,
       collect(DISTINCT CASE WHEN n_new > 0 OR a.requalify_pending IS NOT NULL THEN a.id END) AS accounts
