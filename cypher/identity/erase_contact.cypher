// Erase a person on request (GDPR Art. 17), as ONE statement. The contact node stays as an anonymous
// one (a new random id, status 'erased', no email, name, title, seniority or department) so its
// activities, its employer and its engagement aggregates, hence the account's engagement and
// history, stay exactly as they were; what makes it a person goes: buying roles, reporting lines,
// aliases (merged ids and emails) and merge records, and the personal fields of the leads matched
// to it. An Erasure node per email keeps only its salted hash (so a later import of the same email
// can be reported) with who erased and when. The account is marked `requalify_pending`. The outbox
// events that named the contact (or an id merged into it) name the anonymous id instead.
// @param id STRING the contact
// @param anonymous_id STRING the contact's id from now on
// @param erasure_id STRING id of the Erasure record
// @param email_hashes LIST<STRING> salted hashes of the contact's email and merged emails
// @param actor STRING who erased
// @param now FLOAT epoch seconds of the erasure
// @param batch STRING a token unique to this request (the pending mark)
// @param event_seqs LIST<INTEGER> outbox events that named the contact (identity/events_naming)
// @param event_payloads LIST<STRING> their payloads with the anonymous id instead, in the same order
// @column account_id STRING the contact's account, or null
MATCH (c:Contact {id: $id})
OPTIONAL MATCH (c)-[:WORKS_AT]->(a:Account)
FOREACH (_ IN CASE WHEN a IS NULL THEN [] ELSE [1] END | SET a.requalify_pending = $batch)
WITH c, a.id AS account_id
// The events that named the person, with the anonymous id in their payloads (computed by the
// caller from identity/events_naming: rewriting JSON is not Cypher's job).
UNWIND CASE WHEN size($event_seqs) = 0 THEN [-1] ELSE range(0, size($event_seqs) - 1) END AS i
OPTIONAL MATCH (e:Event) WHERE i >= 0 AND e.seq = $event_seqs[i]
SET e.payload = $event_payloads[i]
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
