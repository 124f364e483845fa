// The salt of the erased emails' hashes: created with $candidate the first time, the stored one after.
// @param candidate STRING a fresh random salt, used only if none is stored yet
// @column salt STRING the salt
MERGE (k:ErasureKey {id: 'erasure'})
ON CREATE SET k.salt = $candidate
RETURN k.salt AS salt
