// The contacts of the accounts, one row per account with one list per contact, in the order of
// qualification/snapshots.py CONTACT_FIELDS: profile, the engagement aggregates kept on the contact
// by ingest/create_activities (parallel lists per activity type: count, newest time, decay weight
// sum kept at the newest time, and the half-life it was kept for) and the manager. The service
// rescales each weight to as_of and checks the aggregates are exact (qualification/snapshots.py).
// One row per account, not per contact: Neo4j sends every row as its own Bolt message and the
// driver's per-message work was most of the read's client CPU; grouped, the read costs ~60 % less
// client and ~30 % less engine CPU on Neo4j, ~10 % more on FalkorDB (docs/benchmarks.md, "Scale").
// Lists, not maps: a map per contact costs both engines a key per value to build and to send.
// A contact has at most one manager (ingest/upsert_contacts replaces the line).
// @plain qualification/snapshots.py turns every number in it into an int or a float itself.
// @param ids LIST<STRING> the accounts
// @column account_id STRING
// @column contacts LIST<LIST> per contact: [id, email, first_name, last_name, title, seniority, department, status, types (activity types with aggregates, null: none kept), counts, lasts (epoch s), weights (decay sums at their newest time), half_life_s, reports_to]
UNWIND $ids AS account_id
MATCH (c:Contact)-[:WORKS_AT]->(:Account {id: account_id})
OPTIONAL MATCH (c)-[:REPORTS_TO]->(m:Contact)
RETURN account_id,
       collect([c.id, c.email, c.first_name, c.last_name, c.title, c.seniority, c.department, c.status,
                c.eng_types, c.eng_counts, c.eng_last, c.eng_weights, c.eng_half_life, m.id]) AS contacts
