// Erase a person on request (GDPR Art. 17), as ONE statement. The contact node stays as an anonymous
// one (a new random id, status 'erased', no email, name, title, seniority or department) so its
// activities, its employer and its engagement aggregates, hence the account's engagement and
// history, stay exactly as they were; what makes it a person goes: buying roles, reporting lines,
// aliases (merged ids and emails) and merge records, and the personal fields of the leads matched
// to it. An Erasure node per email keeps only its salted hash (so a later import of the same email
// can be reported) with who erased and when. The account is marked `requalify_pending`. The outbox
// events that name the contact (or an id merged into it) name the anonymous id instead.
// @param id STRING the contact
// @param anonymous_id STRING the contact's id from now on
// @param erasure_id STRING id of the Erasure record
// @param email_hashes LIST<STRING> salted hashes of the contact's email and merged emails
// @param actor STRING who erased
// @param now FLOAT epoch seconds of the erasure
// @param batch STRING a token unique to this request (the pending mark)
// @column account_id STRING the contact's account, or null
MATCH (c:Contact {id: $id})
OPTIONAL MATCH (merged:Alias)-[:ALIAS_OF]->(c)
WITH c, [$id] + [k IN collect(merged.key) WHERE k STARTS WITH 'contact:' | substring(k, 8)] AS ids
OPTIONAL MATCH (c)-[:WORKS_AT]->(a:Account)
FOREACH (_ IN CASE WHEN a IS NULL THEN [] ELSE [1] END | SET a.requalify_pending = $batch)
WITH c, a.id AS account_id, ids
// One id per row: FalkorDB 4.16 did not apply a SET of reduce(... replace ...) to the matched events.
UNWIND ids AS erased_id
OPTIONAL MATCH (e:Event) WHERE e.payload CONTAINS erased_id
SET e.payload = replace(e.payload, erased_id, $anonymous_id)
WITH DISTINCT c, account_id
OPTIONAL MATCH (c)-[r:MEMBER_OF|REPORTS_TO]-()
DELETE r
WITH DISTINCT c, account_id
OPTIONAL MATCH (rep:Contact)-[line:REPORTS_TO]->(c)
DELETE line
WITH DISTINCT c, account_id
OPTIONAL MATCH (al:Alias)-[:ALIAS_OF]->(c)
DETACH DELETE al
WITH DISTINCT c, account_id
OPTIONAL MATCH (c)-[:MERGED]->(mg:Merge)
DETACH DELETE mg
WITH DISTINCT c, account_id
OPTIONAL MATCH (l:Lead)-[:MATCHED_TO]->(c)
FOREACH (_ IN CASE WHEN l IS NULL THEN [] ELSE [1] END |
  SET l = {id: l.id, source: l.source, created_at: l.created_at, updated_at: l.updated_at,
           match_status: l.match_status, match_reason: 'erased'})
WITH DISTINCT c, account_id
// The whole property map is replaced rather than the personal fields set to null: FalkorDB 4.16
// removed the wrong properties when one SET removed several (the engagement lists instead of
// seniority and department), measured in this statement's test.
SET c = {id: $anonymous_id, status: 'erased', erased_at: $now, created_at: c.created_at, updated_at: $now,
         eng_half_life: c.eng_half_life, eng_types: c.eng_types, eng_counts: c.eng_counts, eng_last: c.eng_last,
         eng_weights: c.eng_weights}
WITH account_id
UNWIND CASE WHEN size($email_hashes) = 0 THEN [null] ELSE $email_hashes END AS h
CREATE (:Erasure {id: $erasure_id, email_hash: h, at: $now, actor: $actor})
RETURN DISTINCT account_id
