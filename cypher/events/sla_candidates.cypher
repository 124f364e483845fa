// Accounts whose SLA runs (stage sql or mqa), with the marks of the SLA events already written for
// their current stage entry (the `stage_since` each was written for), a page at a time.
// Read through the stage index alone: the id is compared as `a.id + ''` (no index provides it, as
// in qualification/pending_accounts), so no engine ranges over the id index too, which on FalkorDB
// cost ~126 ms a page of 500 at 100k accounts (3.0 s every minute). Each page reads and sorts every
// candidate, so the timer asks for large pages (graphsvc/events/sla.py).
// @param after STRING = "" ids after this one (paging)
// @param limit INTEGER = 500 at most this many
// @column id STRING
// @column stage STRING
// @column stage_since FLOAT epoch seconds
// @column sla_reminded FLOAT the stage_since the reminder was written for (null: none yet)
// @column sla_breached FLOAT the stage_since the breach was written for (null: none yet)
MATCH (a:Account)
WHERE a.stage IN ['sql', 'mqa']
WITH a, a.id + '' AS id
WHERE id > $after
RETURN id, a.stage AS stage, a.stage_since AS stage_since, a.sla_reminded AS sla_reminded,
       a.sla_breached AS sla_breached
ORDER BY id
LIMIT $limit
