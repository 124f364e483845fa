// Uniqueness constraints (each backed by an index) and lookup indexes for Neo4j 5.
CREATE CONSTRAINT account_id IF NOT EXISTS FOR (a:Account) REQUIRE a.id IS UNIQUE;
CREATE CONSTRAINT contact_id IF NOT EXISTS FOR (c:Contact) REQUIRE c.id IS UNIQUE;
CREATE CONSTRAINT lead_id IF NOT EXISTS FOR (l:Lead) REQUIRE l.id IS UNIQUE;
CREATE CONSTRAINT buying_group_id IF NOT EXISTS FOR (g:BuyingGroup) REQUIRE g.id IS UNIQUE;
CREATE CONSTRAINT activity_id IF NOT EXISTS FOR (x:Activity) REQUIRE x.id IS UNIQUE;
CREATE CONSTRAINT asset_id IF NOT EXISTS FOR (x:Asset) REQUIRE x.id IS UNIQUE;
CREATE CONSTRAINT campaign_id IF NOT EXISTS FOR (x:Campaign) REQUIRE x.id IS UNIQUE;
CREATE CONSTRAINT stage_change_id IF NOT EXISTS FOR (s:StageChange) REQUIRE s.id IS UNIQUE;
CREATE CONSTRAINT event_seq IF NOT EXISTS FOR (e:Event) REQUIRE e.seq IS UNIQUE;
CREATE CONSTRAINT event_counter_id IF NOT EXISTS FOR (q:EventSeq) REQUIRE q.id IS UNIQUE;
// Issue 10: the accounts' creation numbers (the board's tie-breaker, graphsvc/store/sort_keys.py).
CREATE CONSTRAINT account_counter_id IF NOT EXISTS FOR (q:AccountSeq) REQUIRE q.id IS UNIQUE;
CREATE CONSTRAINT webhook_id IF NOT EXISTS FOR (w:Webhook) REQUIRE w.id IS UNIQUE;
CREATE CONSTRAINT delivery_id IF NOT EXISTS FOR (d:Delivery) REQUIRE d.id IS UNIQUE;
CREATE INDEX delivery_webhook IF NOT EXISTS FOR (d:Delivery) ON (d.webhook);
CREATE CONSTRAINT opportunity_id IF NOT EXISTS FOR (o:Opportunity) REQUIRE o.id IS UNIQUE;
CREATE INDEX account_domain IF NOT EXISTS FOR (a:Account) ON (a.domain);
CREATE INDEX account_stage IF NOT EXISTS FOR (a:Account) ON (a.stage);
// qualification/pending_accounts reads only the marked accounts through it (a range on the mark).
CREATE INDEX account_requalify_pending IF NOT EXISTS FOR (a:Account) ON (a.requalify_pending);
// Issue 10: qualification/due_accounts reads the accounts whose decay is due through it.
CREATE INDEX account_requalify_at IF NOT EXISTS FOR (a:Account) ON (a.requalify_at);
// Issue 10: the board reads a page from a floor (or an open bound) through these, in their order
// (board_top_score, board_top_engagement, board_top_fit, board_first_name, board_oldest_stage;
// falkordb.cypher says why FalkorDB has no name index). The id is part of each so that the order
// breaks ties as the statements sort (by id; from the highest where the sort is highest first, the
// index read backwards): at 100k accounts 75k shared one stage_since and 29k one fit, and with the
// sort property alone a page was a top-k over every tied account (188 ms, 22 ms with the id;
// docs/benchmarks.md, "The board's cold pages and ties"). An account is in one only when it has the
// value; the statements read only such accounts. Every write that creates an account sets
// stage_since (qualification/backfill_stage_since for older data). By fit and time in stage the
// board reads the sort keys (graphsvc/store/sort_keys.py), which carry their own tie-breaker; the id
// stays in their indexes for the rare equal keys. No name_key index here: Neo4j reads the
// (name, id) ones in order, and the name statements' bound on name_key (for FalkorDB) only filters.
DROP INDEX account_mqa_score IF EXISTS;
DROP INDEX account_engagement IF EXISTS;
DROP INDEX account_fit IF EXISTS;
DROP INDEX account_name IF EXISTS;
DROP INDEX account_stage_since IF EXISTS;
CREATE INDEX account_mqa_score_id IF NOT EXISTS FOR (a:Account) ON (a.mqa_score, a.id);
CREATE INDEX account_engagement_id IF NOT EXISTS FOR (a:Account) ON (a.engagement, a.id);
DROP INDEX account_fit_id IF EXISTS;
CREATE INDEX account_fit_key_id IF NOT EXISTS FOR (a:Account) ON (a.fit_key, a.id);
CREATE INDEX account_name_id IF NOT EXISTS FOR (a:Account) ON (a.name, a.id);
DROP INDEX account_stage_since_id IF EXISTS;
CREATE INDEX account_since_key_id IF NOT EXISTS FOR (a:Account) ON (a.since_key, a.id);
// Issue 10: the board of one stage (the commonest filter) seeks the stage and reads the sort's order
// from these (board_stage_top_score, _top_engagement, _top_fit, _first_name, _oldest_stage), with the
// id for ties as above. They replaced (stage, sort) indexes, dropped here.
DROP INDEX account_stage_mqa_score IF EXISTS;
DROP INDEX account_stage_engagement IF EXISTS;
DROP INDEX account_stage_fit IF EXISTS;
DROP INDEX account_stage_name IF EXISTS;
DROP INDEX account_stage_stage_since IF EXISTS;
CREATE INDEX account_stage_mqa_score_id IF NOT EXISTS FOR (a:Account) ON (a.stage, a.mqa_score, a.id);
CREATE INDEX account_stage_engagement_id IF NOT EXISTS FOR (a:Account) ON (a.stage, a.engagement, a.id);
DROP INDEX account_stage_fit_id IF EXISTS;
CREATE INDEX account_stage_fit_key_id IF NOT EXISTS FOR (a:Account) ON (a.stage, a.fit_key, a.id);
CREATE INDEX account_stage_name_id IF NOT EXISTS FOR (a:Account) ON (a.stage, a.name, a.id);
DROP INDEX account_stage_stage_since_id IF EXISTS;
CREATE INDEX account_stage_since_key_id IF NOT EXISTS FOR (a:Account) ON (a.stage, a.since_key, a.id);
CREATE INDEX contact_email IF NOT EXISTS FOR (c:Contact) ON (c.email);
// Issue 15: merged ids and emails (aliases), merge records by survivor, erased emails by hash.
CREATE CONSTRAINT alias_key IF NOT EXISTS FOR (x:Alias) REQUIRE x.key IS UNIQUE;
CREATE INDEX merge_survivor IF NOT EXISTS FOR (x:Merge) ON (x.survivor);
CREATE INDEX erasure_email_hash IF NOT EXISTS FOR (x:Erasure) ON (x.email_hash);
CREATE CONSTRAINT routing_turns_id IF NOT EXISTS FOR (t:RoutingTurns) REQUIRE t.id IS UNIQUE;
CREATE INDEX event_account IF NOT EXISTS FOR (e:Event) ON (e.account);
CREATE INDEX account_owner IF NOT EXISTS FOR (a:Account) ON (a.owner);
// Ruleset activations (PUT /v1/rules) and the one lock that runs them one at a time.
CREATE CONSTRAINT ruleset_activation_id IF NOT EXISTS FOR (r:RulesetActivation) REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT activation_lock_id IF NOT EXISTS FOR (l:ActivationLock) REQUIRE l.id IS UNIQUE;
