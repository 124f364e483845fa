// The aliases (merged ids and emails) that point at one record.
// @param id STRING the contact
// @column key STRING 'contact:<id>' or 'email:<address>'
MATCH (al:Alias)-[:ALIAS_OF]->(:Contact {id: $id})
RETURN al.key AS key
