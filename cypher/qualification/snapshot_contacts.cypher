// The contacts of the accounts, one row per contact, flat: profile and the engagement aggregates
// kept on the contact by ingest/create_activities (parallel lists per activity type: count, newest
// time, decay weight sum kept at the newest time, and the half-life it was kept for). The service
// rescales each weight to as_of and checks the aggregates are exact (qualification/snapshots.py).
// No aggregation here: one row per contact is the cheapest shape for the engine to build and for
// the client to read. A contact has at most one manager (ingest/upsert_contacts replaces the line).
// @param ids LIST<STRING> the accounts
// @column account_id STRING the account the contact works at
// @column id STRING
// @column email STRING
// @column first_name STRING
// @column last_name STRING
// @column title STRING
// @column seniority STRING
// @column department STRING
// @column status STRING
// @column types LIST<STRING> activity types with aggregates (null: none kept)
// @column counts LIST<INTEGER> activities per type
// @column lasts LIST<FLOAT> newest activity per type, epoch seconds
// @column weights LIST<FLOAT> decay weight sum per type, kept at its newest time
// @column half_life_s FLOAT the half-life the weights were kept for
// @column reports_to STRING the manager's contact id, if known
UNWIND $ids AS account_id
MATCH (c:Contact)-[:WORKS_AT]->(:Account {id: account_id})
OPTIONAL MATCH (c)-[:REPORTS_TO]->(m:Contact)
RETURN account_id, c.id AS id, c.email AS email, c.first_name AS first_name, c.last_name AS last_name,
       c.title AS title, c.seniority AS seniority, c.department AS department, c.status AS status,
       c.eng_types AS types, c.eng_counts AS counts, c.eng_last AS lasts, c.eng_weights AS weights,
       c.eng_half_life AS half_life_s, m.id AS reports_to
