// Indexes for FalkorDB (range indexes on the ids every write and lookup goes through).
// FalkorDB has no uniqueness constraint we rely on: ingest MERGEs by id, so ids stay unique.
CREATE INDEX FOR (a:Account) ON (a.id);
CREATE INDEX FOR (a:Account) ON (a.domain);
CREATE INDEX FOR (a:Account) ON (a.stage);
// qualification/pending_accounts reads only the marked accounts through it (a range on the mark).
CREATE INDEX FOR (a:Account) ON (a.requalify_pending);
// Issue 10: qualification/due_accounts reads the accounts whose decay is due through it.
CREATE INDEX FOR (a:Account) ON (a.requalify_at);
// Issue 10: the board's first pages by MQA score read from a floor through it (board_top_score).
CREATE INDEX FOR (a:Account) ON (a.mqa_score);
// Issue 10: the board by engagement reads from a floor through it (board_top_engagement). No index
// on Account.name here, unlike neo4j.cypher: FalkorDB's range index ignores
// an upper bound on a string (FalkorDB issue #2239: `a.name <= $x` through it returns every name) and
// never finds an empty string (#282/#294), so board_first_name bounds Account.name_key (below) and compares the name itself.
CREATE INDEX FOR (a:Account) ON (a.engagement);
// Issue 10: the board by fit, time in stage and name reads a range of one of these (board_top_fit,
// board_oldest_stage, board_first_name): integers that carry their tie-breaker (or, for the name, its
// first bytes), kept by every write of what they sort (graphsvc/store/sort_keys.py). They replaced
// indexes on Account.fit and Account.stage_since (2026-12-03; a graph made before keeps those two,
// unused). AccountSeq holds the next creation number.
CREATE INDEX FOR (a:Account) ON (a.fit_key);
CREATE INDEX FOR (a:Account) ON (a.since_key);
CREATE INDEX FOR (a:Account) ON (a.name_key);
CREATE INDEX FOR (q:AccountSeq) ON (q.id);
// The board of one stage (board_stage_* statements) needs no more: FalkorDB has no composite
// index, and its one Account index answers `a.stage = $stage AND a.mqa_score >= $floor` (or the
// other sort's) in one scan, handing over only the stage's accounts within the bound.
CREATE INDEX FOR (c:Contact) ON (c.id);
CREATE INDEX FOR (c:Contact) ON (c.email);
CREATE INDEX FOR (l:Lead) ON (l.id);
CREATE INDEX FOR (g:BuyingGroup) ON (g.id);
CREATE INDEX FOR (x:Activity) ON (x.id);
CREATE INDEX FOR (x:Asset) ON (x.id);
CREATE INDEX FOR (x:Campaign) ON (x.id);
CREATE INDEX FOR (s:StageChange) ON (s.id);
CREATE INDEX FOR (e:Event) ON (e.seq);
CREATE INDEX FOR (q:EventSeq) ON (q.id);
CREATE INDEX FOR (w:Webhook) ON (w.id);
CREATE INDEX FOR (d:Delivery) ON (d.id);
CREATE INDEX FOR (d:Delivery) ON (d.webhook);
// Issue 15: merged ids and emails (aliases), merge records by survivor, erased emails by hash.
CREATE INDEX FOR (x:Alias) ON (x.key);
CREATE INDEX FOR (x:Merge) ON (x.survivor);
CREATE INDEX FOR (x:Erasure) ON (x.email_hash);
CREATE INDEX FOR (o:Opportunity) ON (o.id);
CREATE INDEX FOR (t:RoutingTurns) ON (t.id);
CREATE INDEX FOR (e:Event) ON (e.account);
CREATE INDEX FOR (a:Account) ON (a.owner);
// Ruleset activations (PUT /v1/rules) and the one lock that runs them one at a time.
CREATE INDEX FOR (r:RulesetActivation) ON (r.id);
CREATE INDEX FOR (l:ActivationLock) ON (l.id);
