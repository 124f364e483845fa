// Which of the given salted email hashes belong to erased people (ingest reports such rows), and the
// salt to compute them with. With no salt stored nobody was ever erased: `salt` is null.
// @param hashes LIST<STRING> salted hashes of the batch's emails (empty: only read the salt)
// @column salt STRING the stored salt, or null
// @column erased LIST<STRING> the hashes among $hashes that were erased
OPTIONAL MATCH (k:ErasureKey {id: 'erasure'})
WITH k.salt AS salt
OPTIONAL MATCH (e:Erasure)
WHERE e.email_hash IN $hashes
RETURN salt, collect(DISTINCT e.email_hash) AS erased
