// Which of the given ids exist, per label kind (used to validate a batch before writing it).
// @param accounts LIST<STRING> account ids to look up
// @param contacts LIST<STRING> contact ids to look up
// @column accounts LIST<STRING> those that exist
// @column contacts LIST<STRING> those that exist
OPTIONAL MATCH (a:Account) WHERE a.id IN $accounts
WITH collect(a.id) AS accounts
OPTIONAL MATCH (c:Contact) WHERE c.id IN $contacts
RETURN accounts, collect(c.id) AS contacts
